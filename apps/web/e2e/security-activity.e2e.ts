import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, verifiedAccount } from './support/api.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { logIn } from './support/flows.js';
import { type Stack, startStack } from './support/stack.js';

describe('the security activity page', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('lists the sign-in just made, with its browser, above a failed attempt', async () => {
    const account = await verifiedAccount(stack.apiUrl);
    const wrong = await api(stack.apiUrl, '/auth/login', {
      email: account.email,
      password: 'not the password at all',
    });
    expect(wrong.status).toBe(401);

    const { page, errors } = await openPage(browser);
    await logIn(page, stack.webUrl, account);
    await page.waitForURL('**/dashboard');
    await page.goto(`${stack.webUrl}/settings/security-activity`);
    await page.getByRole('link', { name: 'Security activity' }).waitFor();

    const rows = page.getByRole('list', { name: 'Security activity' }).getByRole('listitem');
    // Newest first: the browser's sign-in, from this Chromium, then the failed attempt before it.
    await rows.first().waitFor();
    expect(await rows.first().innerText()).toContain('Signed in with a password');
    expect(await rows.first().innerText()).toContain('Chrome on Linux');
    expect(await rows.nth(1).innerText()).toContain('Failed sign-in: wrong password');
    await screenshot(page, 'settings-security-activity');
    expect(errors).toEqual([]);
  });
});
