import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedAccount } from './support/api.js';
import { launchBrowser, openPage, type WatchedPage } from './support/browser.js';
import { logIn } from './support/flows.js';
import { type Stack, startStack } from './support/stack.js';

const GUEST_PAGES = ['/', '/login', '/register', '/forgot-password', '/no-such-page'];
const USER_PAGES = [
  '/dashboard',
  '/room',
  '/settings/profile',
  '/settings/sign-in',
  '/settings/password',
  '/settings/sessions',
  '/settings/mfa',
  '/settings/api-keys',
];

/** The policy and nonce of a page as the browser got them, once the page has settled. */
async function visit(page: Page, url: string) {
  const response = await page.goto(url);
  await page.waitForLoadState('networkidle');
  const policy = response?.headers()['content-security-policy'] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  return { policy, nonce };
}

describe('Content-Security-Policy of the web app', () => {
  let stack: Stack;
  let browser: Browser;
  let watched: WatchedPage;
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    watched = await openPage(browser, { allow: [/status of 404 .*no-such-page/] });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('sends every page a strict policy with a fresh nonce, and nothing violates it', async () => {
    const nonces = new Set<string>();
    const check = async (path: string) => {
      const { policy, nonce } = await visit(watched.page, `${stack.webUrl}${path}`);
      expect(policy, path).toContain("'strict-dynamic'");
      expect(policy, path).not.toContain('unsafe-inline');
      expect(policy, path).toContain(`connect-src 'self' ${new URL(stack.apiUrl).origin}`);
      expect(nonce, path).toBeDefined();
      nonces.add(nonce!);
      // Every script the page has carries this response's nonce.
      const scripts = await watched.page.$$eval('script', (elements) =>
        elements.map((s) => s.nonce),
      );
      expect(scripts.length, path).toBeGreaterThan(0);
      expect(new Set(scripts), path).toEqual(new Set([nonce]));
    };
    for (const path of GUEST_PAGES) await check(path);
    const account = await verifiedAccount(stack.apiUrl);
    await logIn(watched.page, stack.webUrl, account);
    await watched.page.waitForURL(/\/dashboard/);
    for (const path of USER_PAGES) await check(path);
    expect(nonces.size).toBe(GUEST_PAGES.length + USER_PAGES.length);
    expect(watched.errors).toEqual([]);
  });

  it('blocks injected inline script, and reports it', async () => {
    const { page, errors } = await openPage(browser);
    await visit(page, `${stack.webUrl}/login`);
    // What an HTML injection would try: an inline event handler.
    const ran = await page.evaluate(() => {
      const button = document.createElement('button');
      button.setAttribute('onclick', 'window.injected = true');
      document.body.append(button);
      button.click();
      return (window as { injected?: boolean }).injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => errors.join('\n')).toMatch(/CSP violation: script-src/);
  });
});
