import { nginxForTests, type Stack, startStack } from '@repo/stack';
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
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
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
      },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
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

  it('saw no console error and no uncaught exception', () => {
    expect(pages.flatMap((p) => p.errors)).toEqual([]);
  });
});
