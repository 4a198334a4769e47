import { nginxForTests, type Stack, startStack } from '@repo/stack';
import { freePort } from '@repo/test-support';
import { type RunningOidcProvider, startOidcProvider } from '@repo/test-support/oauth';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newAccount } from './support/api.js';
import { launchBrowser, openPage, screenshot, type WatchedPage } from './support/browser.js';
import { addNote, logIn, registerInBrowser } from './support/flows.js';
import { E2E_DIST_DIR } from './support/global-setup.js';

/**
 * The production topology (`pnpm stack`): the browser talks to nginx only — the web app on one
 * origin, the API on another — with CORS at the proxy and two API processes behind it.
 */
describe.runIf(nginxForTests(['e2e/stack.e2e.ts']))('the main flow through nginx', () => {
  let stack: Stack;
  let browser: Browser;
  let op: RunningOidcProvider;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    // A real OpenID provider on this machine; the API's callback is reached through nginx.
    op = await startOidcProvider({
      port: await freePort(),
      clients: [
        {
          clientId: 'stack-web',
          clientSecret: 'stack-web-secret',
          redirectUris: [`http://localhost:${inject('apiPort')}/api/v1/auth/oauth/oidc/callback`],
        },
      ],
    });
    // The ports the web app was built against: nginx now answers on them.
    stack = await startStack({
      webPort: inject('webPort'),
      apiPort: inject('apiPort'),
      apiFrom: 'source',
      webDistDir: E2E_DIST_DIR,
      apiEnv: {
        LOG_LEVEL: 'warn',
        RATE_LIMIT_LOGIN_PER_IP: '10000',
        RATE_LIMIT_LOGIN_PER_EMAIL: '10000',
        RATE_LIMIT_AUTH_PER_IP: '10000',
        RATE_LIMIT_EMAIL_CODE_PER_EMAIL: '10000',
        OIDC_ISSUER: op.issuer,
        OIDC_CLIENT_ID: 'stack-web',
        OIDC_CLIENT_SECRET: 'stack-web-secret',
        OIDC_NAME: 'Test ID',
      },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await op?.close();
  });

  it('register → verify → log in → a note appears live on another device → logout', async () => {
    const account = newAccount();
    const a = await openPage(browser);
    pages.push(a);
    await registerInBrowser(a.page, stack, account);
    await logIn(a.page, stack.webUrl, account);
    await a.page.waitForURL('**/dashboard');
    await addNote(a.page, 'Through the proxy');

    const b = await openPage(browser, { width: 375 });
    pages.push(b);
    await logIn(b.page, stack.webUrl, account);
    await b.page.waitForURL('**/dashboard');
    await b.page.getByText('Through the proxy').first().waitFor();
    await addNote(a.page, 'Live through the proxy');
    await b.page.getByText('Live through the proxy').first().waitFor({ timeout: 15_000 });
    await screenshot(b.page, 'stack-dashboard-phone');

    await a.page.getByRole('banner').getByRole('button', { name: 'Log out' }).click();
    await a.page.waitForURL('**/login**');
  });

  it('sent every API call and both WebSockets through nginx, spread over both API processes', async () => {
    // nginx logs a WebSocket when it closes.
    for (const { page } of pages) await page.context().close();
    await expect
      .poll(async () => (await stack.accessLog()).filter((l) => l.path === '/ws').length)
      .toBe(2);
    const log = await stack.accessLog();
    const api = log.filter((line) => String(line.path).startsWith('/api/v1/'));
    const preflights = api.filter((line) => line.method === 'OPTIONS');
    expect(preflights.length).toBeGreaterThan(0);
    expect(preflights.every((line) => line.status === 204 && line.upstream === '')).toBe(true);
    expect(api.some((l) => l.path === '/api/v1/auth/login' && l.status === 200)).toBe(true);
    expect(log.filter((l) => l.path === '/ws' && l.status === 101)).toHaveLength(2);
    const upstreams = new Set(api.map((line) => line.upstream).filter(Boolean));
    expect([...upstreams].sort()).toEqual(stack.replicas.map((r) => `127.0.0.1:${r.port}`).sort());
  });

  it('passes the web app’s Content-Security-Policy through, once, its nonce on every script', async () => {
    const { page, errors } = await openPage(browser);
    const response = await page.goto(`${stack.webUrl}/login`);
    const policies = (await response!.headersArray()).filter(
      (h) => h.name.toLowerCase() === 'content-security-policy',
    );
    expect(policies).toHaveLength(1);
    const nonce = /'nonce-([^']+)'/.exec(policies[0]!.value)?.[1];
    expect(policies[0]!.value).toContain(`connect-src 'self' ${new URL(stack.apiUrl).origin}`);
    const scripts = await page.$$eval('script', (elements) => elements.map((e) => e.nonce));
    expect(new Set(scripts)).toEqual(new Set([nonce]));
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    pages.push({ page, errors, context: page.context() });
  });

  it('signs in with an OpenID Connect provider, its callback through nginx', async () => {
    op.accounts.set('stack-oidc', {
      email: `stack-oidc-${Date.now()}@example.test`,
      email_verified: true,
      name: 'Olga Oidc',
    });
    // Chromium asks the provider's origin for a favicon, which the test provider has not.
    const { page, errors } = await openPage(browser, { allow: [/favicon\.ico/] });
    await page.goto(`${stack.webUrl}/login`);
    await page.getByRole('link', { name: 'Continue with Test ID' }).click();
    await page.waitForURL(`${op.issuer}/interaction/**`);
    await page.getByLabel('Login').fill('stack-oidc');
    await page.getByLabel('Password').fill('any password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.webUrl}/dashboard`);
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    const log = await stack.accessLog();
    expect(log.some((l) => l.path === '/api/v1/auth/oauth/oidc/callback' && l.status === 302)).toBe(
      true,
    );
    expect(errors).toEqual([]);
  });

  it('saw no console error and no uncaught exception', () => {
    expect(pages.flatMap((p) => p.errors)).toEqual([]);
  });
});
