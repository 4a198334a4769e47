import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { WEB_DIR } from './global-setup.js';

/** Debian's Chromium; Playwright's own browser download is not used. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Kept by CI: screenshots of the main pages. */
const RESULTS_DIR = join(WEB_DIR, '..', '..', 'test-results', 'e2e');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors (CSP violations among them) and uncaught exceptions seen so far: any of them fails a test. */
  errors: string[];
}

/** A fresh browser context (its own cookies: another device) with one page, watched for errors. */
export async function openPage(
  browser: Browser,
  options: { width?: number; allow?: RegExp[] } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
  });
  // Every Content-Security-Policy violation becomes a console error, so it fails the test.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return watch(context, await context.newPage(), options.allow ?? []);
}

function watch(context: BrowserContext, page: Page, allow: RegExp[]): WatchedPage {
  const errors: string[] = [];
  const keep = (text: string) => {
    if (!allow.some((pattern) => pattern.test(text))) errors.push(text);
  };
  page.on('console', (message) => {
    if (message.type() === 'error')
      keep(`console: ${message.text()} (${message.location().url}) on ${page.url()}`);
  });
  page.on('pageerror', (error) => keep(`uncaught: ${error.message}`));
  return { page, context, errors };
}

export async function screenshot(page: Page, name: string) {
  await mkdir(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true });
}
