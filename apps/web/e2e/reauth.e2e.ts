import { REAUTH_WINDOW_MINUTES } from '@repo/contracts';
import pg from 'pg';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedAccount } from './support/api.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { logIn } from './support/flows.js';
import { type Stack, startStack } from './support/stack.js';

describe('re-authentication in a real browser', () => {
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

  /** Moves the sign-in of every session of the account past the window, as the clock would. */
  const ageProofs = async (email: string) => {
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      const { rowCount } = await client.query(
        `UPDATE sessions SET authenticated_at = now() - make_interval(mins => $2 + 1)
          WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
        [email, REAUTH_WINDOW_MINUTES],
      );
      expect(rowCount).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  };

  it('asks for the password in a dialog when a sensitive change needs it, then makes the change', async () => {
    const account = await verifiedAccount(stack.apiUrl);
    // The API's refusal, which the dialog answers, and the wrong password typed on purpose are
    // failed requests in the console.
    const { page, errors } = await openPage(browser, {
      allow: [/status of 403 .*\/api-keys/, /status of 400 .*\/auth\/reauth/],
    });
    await logIn(page, stack.webUrl, account);
    await page.waitForURL('**/dashboard');
    await page.goto(`${stack.webUrl}/settings/api-keys`);
    await page.getByLabel('Key name').fill('deploy');
    await ageProofs(account.email);

    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
    await dialog.getByLabel('Your password').fill('not my password');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.getByRole('alert').waitFor();
    await screenshot(page, 'reauth-dialog');

    await dialog.getByLabel('Your password').fill(account.password);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    // The same click's change went through: the new key's secret is shown once.
    await page.getByLabel('New API key').waitFor();
    expect(await dialog.isVisible()).toBe(false);
    expect(errors).toEqual([]);
  });

  it('gives up the change when the dialog is cancelled', async () => {
    const account = await verifiedAccount(stack.apiUrl);
    const { page, errors } = await openPage(browser, {
      allow: [/status of 403 .*\/api-keys/],
    });
    await logIn(page, stack.webUrl, account);
    await page.waitForURL('**/dashboard');
    await page.goto(`${stack.webUrl}/settings/api-keys`);
    await page.getByLabel('Key name').fill('ci');
    await ageProofs(account.email);
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // The form says why nothing happened.
    await page
      .getByRole('alert')
      .filter({ hasText: /prove|confirm|proof/i })
      .first()
      .waitFor();
    expect(await page.getByLabel('New API key').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
