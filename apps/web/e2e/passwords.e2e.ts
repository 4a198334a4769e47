import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailedLink, newAccount, verifiedAccount } from './support/api.js';
import { launchBrowser, openPage, screenshot, type WatchedPage } from './support/browser.js';
import { logIn } from './support/flows.js';
import { type Stack, startStack } from './support/stack.js';

/** A text of the strength estimator's English feedback: found only in its lazily loaded chunk. */
const ESTIMATOR_TEXT = 'Straight rows of keys on your keyboard are easy to guess.';

/** The browser logs the API's refusal of a password (a 400) as a failed resource load. */
const REFUSAL = /status of 400 .*\/auth\/(register|change-password)\)/;

/** The URLs of the scripts a page requests from now on. */
function scriptsOf(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') urls.push(request.url());
  });
  return urls;
}

/** Whether one of these scripts holds the text (fetched again: they are static files). */
const downloaded = async (urls: string[], text: string) =>
  (await Promise.all(urls.map(async (url) => (await fetch(url)).text()))).some((body) =>
    body.includes(text),
  );

describe('passwords in a real browser: strength meter, refusals, registration', () => {
  let stack: Stack;
  let browser: Browser;
  const pages: WatchedPage[] = [];
  const open = async (allow: RegExp[] = []) => {
    const watched = await openPage(browser, { allow });
    pages.push(watched);
    return watched;
  };

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('the login page does not download the estimator; the register page fetches it on typing', async () => {
    const { page } = await open();
    const scripts = scriptsOf(page);
    await page.goto(`${stack.webUrl}/login`);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await page.goto(`${stack.webUrl}/register`);
    await page.getByRole('button', { name: 'Create account' }).waitFor();
    expect(await downloaded(scripts, ESTIMATOR_TEXT)).toBe(false);

    await page.getByLabel('Password', { exact: true }).fill('qwertyuiop');
    await page.getByText('Password strength:').waitFor();
    expect(await downloaded(scripts, ESTIMATOR_TEXT)).toBe(true);
  });

  it('shows the strength and the advice in words, in a live region, as the password changes', async () => {
    const account = newAccount();
    const { page } = await open();
    await page.goto(`${stack.webUrl}/register`);
    await page.getByLabel('Name').fill(account.name);
    await page.getByLabel('Email').fill(account.email);
    const password = page.getByLabel('Password', { exact: true });
    const meter = page.locator('[aria-live="polite"]').filter({ hasText: 'Password strength:' });

    await password.fill('qwertyuiop');
    await meter.getByText('Very weak').waitFor();
    await meter.getByText(/used password/).waitFor();
    // The user's own name counts against the password.
    await password.fill('Ada Lovelace');
    await meter.getByText(/personal/).waitFor();
    await password.fill('correct horse battery staple');
    await meter.getByText(/Strong|Good/).waitFor();
    await screenshot(page, 'register-strength');
  });

  it('shows the API’s refusal at the password field, then “check your email” after registering', async () => {
    const account = newAccount();
    const { page } = await open([REFUSAL]);
    await page.goto(`${stack.webUrl}/register`);
    await page.getByLabel('Name').fill(account.name);
    await page.getByLabel('Email').fill(account.email);
    const password = page.getByLabel('Password', { exact: true });
    await password.fill('Lovelace 1815!');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page
      .getByRole('alert')
      .getByText(/made from your name or email/)
      .waitFor();
    expect(await password.getAttribute('aria-invalid')).toBe('true');

    await password.fill(account.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.getByText(account.email).waitFor();
    await screenshot(page, 'register-check-email');
    expect(new URL(await mailedLink(stack.apiUrl, account.email, /Confirm/)).pathname).toBe(
      '/verify-email',
    );
  });

  it('registering a registered address looks the same; its owner gets the notice', async () => {
    const owner = await verifiedAccount(stack.apiUrl);
    const { page } = await open();
    await page.goto(`${stack.webUrl}/register`);
    await page.getByLabel('Name').fill('Someone Else');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill('another long passphrase');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const link = await mailedLink(stack.apiUrl, owner.email, /Someone tried to register/);
    expect(new URL(link).pathname).toBe('/login');
  });

  it('the change-password form has the meter and shows a refusal next to the new password', async () => {
    const account = await verifiedAccount(stack.apiUrl);
    const { page } = await open([REFUSAL]);
    await logIn(page, stack.webUrl, account);
    await page.waitForURL('**/dashboard');
    await page.goto(`${stack.webUrl}/settings/password`);
    await page.getByLabel('Current password').fill(account.password);
    const newPassword = page.getByLabel('New password');
    await newPassword.fill('password1234');
    await page.getByText('Password strength:').waitFor();
    await page.getByRole('button', { name: 'Change password' }).click();
    await page
      .getByRole('alert')
      .getByText(/most common passwords/)
      .waitFor();
    expect(await newPassword.getAttribute('aria-invalid')).toBe('true');
  });

  it('masks every password field and lets a password manager or the clipboard paste into it', async () => {
    const { page } = await open();
    for (const [path, label] of [
      ['/login', 'Password'],
      ['/register', 'Password'],
    ] as const) {
      await page.goto(`${stack.webUrl}${path}`);
      const field = page.getByLabel(label, { exact: true });
      expect(await field.getAttribute('type'), path).toBe('password');
      // A paste event the page would cancel if it blocked pasting.
      const blocked = await field.evaluate((input) => {
        const data = new DataTransfer();
        data.setData('text/plain', 'pasted passphrase 42');
        return !input.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      });
      expect(blocked, path).toBe(false);
    }
  });

  it('saw no console error and no uncaught exception on any page', () => {
    expect(pages.flatMap((p) => p.errors)).toEqual([]);
  });
});
