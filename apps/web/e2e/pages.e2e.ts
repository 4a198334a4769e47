import { type Browser, type Page } from 'playwright-core';
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedAccount } from './support/api.js';
import { seriousA11yViolations } from './support/axe.js';
import { launchBrowser, openPage, type WatchedPage } from './support/browser.js';
import { logIn } from './support/flows.js';
import { WEB_DIR } from './support/global-setup.js';
import { type Stack, startStack } from './support/stack.js';

/**
 * Every page of the app, from its files: the `(app)` group's as a signed-in user, the others as a
 * guest, and a path that matches none.
 */
function pagesOf(dir: string) {
  const files = readdirSync(dir, { recursive: true }) as string[];
  const pages = files
    .filter((file) => file.endsWith('page.tsx'))
    .map((file) => {
      const segments = file.split(sep).slice(0, -1);
      const path = `/${segments.filter((s) => !s.startsWith('(')).join('/')}`;
      return { path, signedIn: segments[0] === '(app)' };
    });
  return {
    guest: [...pages.filter((p) => !p.signedIn).map((p) => p.path), '/no-such-page'],
    user: pages.filter((p) => p.signedIn).map((p) => p.path),
  };
}
const PAGES = pagesOf(join(WEB_DIR, 'src', 'app'));
/** The pages that send the browser on by design: where each lands. Every other stays put. */
const LANDS_ON: Record<string, string> = { '/settings': '/settings/profile' };

/**
 * Where the browser landed, the policy and nonce of the page as it got them, and the nonce of
 * each script it was sent.
 */
async function visit(page: Page, url: string) {
  const response = await page.goto(url);
  await page.waitForLoadState('networkidle');
  const landed = new URL(page.url()).pathname;
  const policy = response?.headers()['content-security-policy'] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  const html = (await response?.text()) ?? '';
  const scriptNonces = [...html.matchAll(/<script\b[^>]*>/g)].map(
    ([tag]) => /\snonce="([^"]*)"/.exec(tag)?.[1] ?? '(none)',
  );
  return { landed, policy, nonce, scriptNonces };
}

describe('every page', () => {
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

  it('lands where it says, with a strict CSP and a fresh nonce that nothing violates, and no serious accessibility issue', async () => {
    expect(PAGES.user).toContain('/settings/sign-in');
    const nonces = new Set<string>();
    const a11y: string[] = [];
    const check = async (path: string) => {
      const { landed, policy, nonce, scriptNonces } = await visit(
        watched.page,
        `${stack.webUrl}${path}`,
      );
      // A signed-in page sent back to /login would otherwise pass as the login page.
      expect(landed, path).toBe(LANDS_ON[path] ?? path);
      expect(policy, path).toContain("'strict-dynamic'");
      expect(policy, path).not.toContain('unsafe-inline');
      expect(policy, path).toContain(`connect-src 'self' ${new URL(stack.apiUrl).origin}`);
      expect(nonce, path).toBeDefined();
      nonces.add(nonce!);
      // Every script the page was sent carries this response's nonce.
      expect(scriptNonces.length, path).toBeGreaterThan(0);
      expect(new Set(scriptNonces), path).toEqual(new Set([nonce]));
      a11y.push(...(await seriousA11yViolations(watched.page)).map((v) => `${path}: ${v}`));
    };
    for (const path of PAGES.guest) await check(path);
    const account = await verifiedAccount(stack.apiUrl);
    await logIn(watched.page, stack.webUrl, account);
    await watched.page.waitForURL(/\/dashboard/);
    for (const path of PAGES.user) await check(path);
    expect(nonces.size).toBe(PAGES.guest.length + PAGES.user.length);
    expect(watched.errors).toEqual([]);
    expect(a11y).toEqual([]);
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
