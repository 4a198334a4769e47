import {
  nginxForTests,
  type Stack as ProxyStack,
  startStack as startProxyStack,
} from '@repo/stack';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, enableTotp, newAccount, verifiedAccount } from './support/api.js';
import { launchBrowser, openPage, screenshot, type WatchedPage } from './support/browser.js';
import { mailedCode, signInWithEmailCode } from './support/email-code.js';
import { E2E_DIST_DIR } from './support/global-setup.js';
import { type Stack, startStack } from './support/stack.js';

/** The measured sign-in time, in the test output. */
const report = (label: string, ms: number) =>
  process.stdout.write(
    `[email-code] ${label}: ${ms.toFixed(0)} ms from submitting the email to signed in\n`,
  );

describe('email-code sign-in in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  const pages: WatchedPage[] = [];
  const open = async () => {
    const watched = await openPage(browser);
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

  it('asks for a code on the login page, takes it from the email, and lands signed in', async () => {
    const account = await verifiedAccount(stack.apiUrl);
    const { page } = await open();
    const ms = await signInWithEmailCode(page, stack, account.email);
    report('dev topology', ms);
  });

  it('signs in with one click on the mailed link, and takes the code out of the address bar', async () => {
    const account = await verifiedAccount(stack.apiUrl);
    await api(stack.apiUrl, '/auth/email-code/request', { email: account.email });
    const { link, code } = await mailedCode(stack.apiUrl, account.email);
    expect(new URL(link).pathname).toBe('/login/email-code');
    const { page } = await open();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(link);
    await page.waitForURL('**/dashboard');
    expect(page.url()).not.toContain(code);
    // The code went to the API in a POST body only, never in a URL.
    expect(requested.filter((url) => url.includes(code))).toEqual([]);
  });

  it('asks for the authenticator code after the link when MFA is on', async () => {
    const account = await verifiedAccount(stack.apiUrl);
    const nextTotp = await enableTotp(stack.apiUrl, account);
    await api(stack.apiUrl, '/auth/email-code/request', { email: account.email });
    const { link, code } = await mailedCode(stack.apiUrl, account.email);
    const { page } = await open();
    await page.goto(link);
    await page.getByLabel('Authentication code').waitFor();
    expect(page.url()).toBe(`${stack.webUrl}/login/email-code`);
    expect(await page.evaluate(() => window.location.hash)).toBe('');
    expect(page.url()).not.toContain(code);
    await screenshot(page, 'email-code-mfa');
    await page.getByLabel('Authentication code').fill(nextTotp());
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/dashboard');
  });

  it('signs up without a password, then sets one in the settings and logs in with it', async () => {
    const account = newAccount();
    const { page } = await open();
    await page.goto(`${stack.webUrl}/register`);
    await page.getByRole('link', { name: 'Sign up with an email code' }).click();
    // The register page has these fields too: fill the new page's.
    await page.getByRole('heading', { name: 'Sign up with an email code' }).waitFor();
    await page.getByLabel('Name').fill(account.name);
    await page.getByLabel('Email').fill(account.email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const { code } = await mailedCode(stack.apiUrl, account.email, /signing up/);
    await page.getByLabel('Code').fill(code);
    await screenshot(page, 'email-code-signup');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/dashboard');

    await page.goto(`${stack.webUrl}/settings/sign-in`);
    await page.getByTestId('password-status').getByText('Not set.').waitFor();
    await page.getByTestId('email-code-status').waitFor();
    await page.goto(`${stack.webUrl}/settings/password`);
    await page.getByRole('heading', { name: 'Set a password' }).waitFor();
    await page.getByLabel('New password').fill(account.password);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'Change password' }).waitFor();

    const login = await api(stack.apiUrl, '/auth/login', {
      email: account.email,
      password: account.password,
    });
    expect(login.status).toBe(200);
  });

  it('saw no console error and no uncaught exception on any page', () => {
    expect(pages.flatMap((p) => p.errors)).toEqual([]);
  });
});

describe.runIf(nginxForTests(['e2e/email-code.e2e.ts (through nginx)']))(
  'email-code sign-in through nginx',
  () => {
    let stack: ProxyStack;
    let browser: Browser;
    let watched: WatchedPage;

    beforeAll(async () => {
      stack = await startProxyStack({
        webPort: inject('webPort'),
        apiPort: inject('apiPort'),
        apiFrom: 'source',
        webDistDir: E2E_DIST_DIR,
        apiEnv: { LOG_LEVEL: 'warn', RATE_LIMIT_AUTH_PER_IP: '10000' },
      });
      browser = await launchBrowser();
      watched = await openPage(browser);
    });
    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    });

    it('signs in with a typed code, and with the mailed link; no code in the proxy’s log', async () => {
      const account = await verifiedAccount(stack.apiUrl);
      const ms = await signInWithEmailCode(watched.page, stack, account.email);
      report('through nginx', ms);
      await watched.page.getByRole('banner').getByRole('button', { name: 'Log out' }).click();
      await watched.page.waitForURL('**/login**');

      await api(stack.apiUrl, '/auth/email-code/request', { email: account.email });
      // The second code email of this account: the first one's code is used.
      const { link, code } = await mailedCode(stack.apiUrl, account.email, undefined, 1);
      await watched.page.goto(link);
      await watched.page.waitForURL('**/dashboard');

      const log = await stack.accessLog();
      expect(log.some((l) => l.path === '/api/v1/auth/email-code/verify' && l.status === 200)).toBe(
        true,
      );
      expect(log.some((l) => l.path === '/login/email-code')).toBe(true);
      expect(log.filter((l) => JSON.stringify(l).includes(code))).toEqual([]);
      expect(watched.errors).toEqual([]);
    });
  },
);
