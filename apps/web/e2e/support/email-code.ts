import { type Page } from 'playwright-core';
import { mailedLink } from './api.js';

/** The newest email-code email to `to`: its link and the code the link's fragment carries. */
export async function mailedCode(apiUrl: string, to: string, subject = /sign-in code/) {
  const link = await mailedLink(apiUrl, to, subject);
  const code = new URLSearchParams(new URL(link).hash.slice(1)).get('code')!;
  return { link, code };
}

/**
 * Signs in with an email code as a person does: "Email me a code" on the login page, the code
 * typed from the email. Resolves on the dashboard, with the wall time from submitting the
 * address to being signed in.
 */
export async function signInWithEmailCode(
  page: Page,
  stack: { webUrl: string; apiUrl: string },
  email: string,
): Promise<number> {
  await page.goto(`${stack.webUrl}/login`);
  await page.getByRole('link', { name: 'Email me a code instead' }).click();
  // The login page has an Email field too: fill the new page's.
  await page.getByRole('heading', { name: 'Log in with an email code' }).waitFor();
  await page.getByLabel('Email').fill(email);
  const started = performance.now();
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  const { code } = await mailedCode(stack.apiUrl, email);
  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/dashboard');
  await page.getByRole('banner').getByRole('button', { name: 'Log out' }).waitFor();
  return performance.now() - started;
}
