import { type OutboxMessage } from '@repo/contracts';
import { type Page } from 'playwright-core';

/**
 * The newest email-code email to `to`, once there are more than `after` of them (the API mails
 * after answering: wait for this request's email, not an earlier one): its link and the code the
 * link's fragment carries.
 */
export async function mailedCode(apiUrl: string, to: string, subject = /sign-in code/, after = 0) {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    const res = await fetch(`${apiUrl}/dev/outbox?to=${encodeURIComponent(to)}`);
    const mails = ((await res.json()) as OutboxMessage[]).filter((m) => subject.test(m.subject));
    const link = mails[0]?.link;
    if (mails.length > after && link) {
      return { link, code: new URLSearchParams(new URL(link).hash.slice(1)).get('code')! };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`No new "${String(subject)}" email to ${to}`);
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
