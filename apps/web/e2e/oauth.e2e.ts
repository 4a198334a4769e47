import { freePort } from '@repo/test-support';
import { type RunningOidcProvider, startOidcProvider } from '@repo/test-support/oauth';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

/**
 * Sign-in with an OpenID Connect provider in real Chromium: the login page's button, the
 * provider's own login page (a real OpenID Provider, oidc-provider, on this machine), and back
 * to the dashboard signed in, the account's provider listed in settings.
 */
/** Chromium asks the provider's origin for a favicon, which the test provider has not. */
const FAVICON = /favicon\.ico/;

describe('sign-in with an OpenID Connect provider in a real browser', () => {
  let stack: Stack;
  let op: RunningOidcProvider;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    stack = await startStack({
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: 'e2e-web',
      OIDC_CLIENT_SECRET: 'e2e-web-secret',
      OIDC_NAME: 'Test ID',
    });
    op = await startOidcProvider({
      port,
      clients: [
        {
          clientId: 'e2e-web',
          clientSecret: 'e2e-web-secret',
          redirectUris: [`${stack.apiUrl}/auth/oauth/oidc/callback`],
        },
      ],
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await op?.close();
    await stack?.stop();
  });

  it('login page → "Continue with Test ID" → the provider’s login → the dashboard, signed in', async () => {
    op.accounts.set('e2e-oidc', {
      email: 'e2e-oidc@example.test',
      email_verified: true,
      name: 'Eve Oidc',
    });
    const { page, errors } = await openPage(browser, { allow: [FAVICON] });
    await page.goto(`${stack.webUrl}/login`);
    await page.getByRole('link', { name: 'Continue with Test ID' }).click();

    await page.waitForURL(`${op.issuer}/interaction/**`);
    await page.getByLabel('Login').fill('e2e-oidc');
    await page.getByLabel('Password').fill('any password');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL(`${stack.webUrl}/dashboard`);
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    await screenshot(page, 'oauth-dashboard');

    await page.goto(`${stack.webUrl}/settings/sign-in`);
    const linked = page.getByRole('list', { name: 'Linked accounts' });
    await linked.getByText('e2e-oidc@example.test').waitFor();
    expect(await page.getByTestId('password-status').textContent()).toContain('Not set');
    await screenshot(page, 'oauth-linked-accounts');
    expect(errors).toEqual([]);
  });

  it('consent refused at the provider: the login page says what happened', async () => {
    // The button told the app to look for a session on its next load: there is none (401).
    const { page, errors } = await openPage(browser, {
      allow: [/status of 401 .*\/auth\/refresh/, FAVICON],
    });
    await page.goto(`${stack.webUrl}/login`);
    await page.getByRole('link', { name: 'Continue with Test ID' }).click();
    await page.waitForURL(`${op.issuer}/interaction/**`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(`${stack.webUrl}/login?**`);
    await page.locator('[data-oauth-error="access_denied"]').waitFor();
    await page.getByText('You did not allow the sign-in at Test ID').waitFor();
    expect(errors).toEqual([]);
  });
});
