import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailedLink, newAccount, verifiedAccount } from './support/api.js';
import { launchBrowser, openPage, screenshot, type WatchedPage } from './support/browser.js';
import { logIn } from './support/flows.js';
import { type Stack, startStack } from './support/stack.js';

describe('the account’s lifecycle in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    expect(pages.flatMap((p) => p.errors)).toEqual([]);
    await browser?.close();
    await stack?.stop();
  });

  it('change email → the mailed link switches it → the new address shows; delete account → logged out on the home page', async () => {
    const account = await verifiedAccount(stack.apiUrl);
    // The ended session's socket and refresh are refused once the account is gone.
    const watched = await openPage(browser, { allow: [/status of 401 .*\/auth\/refresh/] });
    pages.push(watched);
    const { page } = watched;
    await logIn(page, stack.webUrl, account);
    await page.waitForURL('**/dashboard');

    await page.goto(`${stack.webUrl}/settings/account`);
    const newEmail = newAccount().email;
    await page.getByLabel('New email').fill(newEmail);
    await page.getByRole('button', { name: 'Send confirmation link' }).click();
    await page.getByText('a confirmation link is on its way').waitFor();
    await screenshot(page, 'settings-account');

    const link = await mailedLink(stack.apiUrl, newEmail, /Confirm your new email/);
    expect(new URL(link).hash).toMatch(/^#token=/);
    await page.goto(link);
    await page.getByRole('status').getByText(newEmail).waitFor();
    // The token left the address bar.
    expect(new URL(page.url()).hash).toBe('');
    await page.getByRole('link', { name: 'Back to your account' }).click();
    await page.waitForURL('**/settings/account');
    await expect
      .poll(() => page.getByRole('main').innerText(), { timeout: 10_000 })
      .toContain(`Your account uses ${newEmail}.`);

    await page.getByLabel(`Type ${newEmail} to confirm`).fill(newEmail);
    await page.getByRole('button', { name: 'Delete account' }).click();
    await page.waitForURL(`${stack.webUrl}/`);
    await page.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
  });
});
