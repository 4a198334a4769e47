import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableTotp, mailedLink, newAccount, verifiedAccount } from './support/api.js';
import { launchBrowser, openPage, screenshot, type WatchedPage } from './support/browser.js';
import { addNote, logIn, registerInBrowser } from './support/flows.js';
import { type Stack, startStack } from './support/stack.js';

/** Short-lived access tokens, so the flow lives through an expiry and a refresh. */
const ACCESS_TOKEN_TTL_S = 6;

describe('accounts and notes in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  const pages: WatchedPage[] = [];
  const open = async (width?: number) => {
    const watched = await openPage(browser, { width });
    pages.push(watched);
    return watched;
  };

  beforeAll(async () => {
    stack = await startStack({ ACCESS_TOKEN_TTL: `${ACCESS_TOKEN_TTL_S}s` });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('register → verify → log in → a note appears live on another device → survives a token expiry → the other device is logged out from here → logout', async () => {
    const account = newAccount();
    const a = await open();
    await registerInBrowser(a.page, stack, account);

    await logIn(a.page, stack.webUrl, account);
    await a.page.waitForURL('**/dashboard');
    await screenshot(a.page, 'dashboard-empty');
    await addNote(a.page, 'First note');

    // Another device (its own cookies) of the same user sees new notes without reloading.
    const b = await open(375);
    await logIn(b.page, stack.webUrl, account);
    await b.page.waitForURL('**/dashboard');
    await b.page.getByText('First note').first().waitFor();
    await addNote(a.page, 'Written on A');
    await b.page.getByText('Written on A').first().waitFor({ timeout: 15_000 });
    await screenshot(b.page, 'dashboard-phone');

    // The access token expires; the next action still works, with no error shown.
    await new Promise((resolve) => setTimeout(resolve, (ACCESS_TOKEN_TTL_S + 2) * 1000));
    await addNote(a.page, 'After the expiry');
    // No error shown (Next's route announcer is an aria-live region too: not an error).
    expect(await a.page.locator('[role="alert"]:not(#__next-route-announcer__)').count()).toBe(0);

    // A ends B's session: B is logged out at once.
    await a.page.goto(`${stack.webUrl}/settings/sessions`);
    const other = a.page
      .getByRole('list', { name: 'Sessions' })
      .getByRole('listitem')
      .filter({
        hasNot: a.page.getByText('This device'),
      });
    await expect.poll(() => other.count(), { timeout: 10_000 }).toBe(1);
    await screenshot(a.page, 'settings-sessions');
    await other.getByRole('button', { name: 'Revoke' }).click();
    await b.page.waitForURL('**/login**', { timeout: 15_000 });

    await a.page.getByRole('banner').getByRole('button', { name: 'Log out' }).click();
    await a.page.waitForURL('**/login**');
    await screenshot(a.page, 'login');
  });

  it('logs in with an authenticator code when MFA is on', async () => {
    const account = await verifiedAccount(stack.apiUrl);
    const nextCode = await enableTotp(stack.apiUrl, account);
    const { page } = await open();
    await logIn(page, stack.webUrl, account);
    await page.getByLabel('Authentication code').fill(nextCode());
    await screenshot(page, 'login-mfa');
    await page
      .getByRole('button', { name: /verify|continue|log in/i })
      .first()
      .click();
    await page.waitForURL('**/dashboard');
  });

  it('resets a forgotten password through the mailed link', async () => {
    const account = await verifiedAccount(stack.apiUrl);
    const { page } = await open();
    await page.goto(`${stack.webUrl}/forgot-password`);
    await page.getByLabel('Email').fill(account.email);
    await page.getByRole('button', { name: 'Send the reset link' }).click();
    await page.getByText(/we sent it a\s+link/).waitFor();
    await page.goto(await mailedLink(stack.apiUrl, account.email, /Reset/));
    await page.getByLabel('New password').fill('a brand new passphrase');
    await page.getByRole('button', { name: /password/i }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();
    await logIn(page, stack.webUrl, { email: account.email, password: 'a brand new passphrase' });
    await page.waitForURL('**/dashboard');
  });

  it('saw no console error and no uncaught exception on any page', () => {
    expect(pages.flatMap((p) => p.errors)).toEqual([]);
  });
});
