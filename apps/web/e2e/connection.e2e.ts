import { FINDINGS } from '@repo/contracts';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

// The browser reports these failures to the console itself; they are the point of these tests.
const EXPECTED = [
  /ERR_CONNECTION_REFUSED/,
  /CORS policy/,
  /Failed to load resource/,
  /net::ERR_FAILED/,
];

describe('the connection banner names the failure and its fix', () => {
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

  it('says the API is unreachable when it is down', async () => {
    await stack.stopApi();
    const { page, errors } = await openPage(browser, { allow: EXPECTED });
    await page.goto(stack.webUrl);
    // The banner names the finding by its shared code (FINDINGS, docs/troubleshooting.md).
    const banner = page.locator('[role="alert"][data-finding="api_unreachable"]');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toContain(FINDINGS.api_unreachable.title);
    expect(await banner.textContent()).toMatch(/pnpm dev/);
    await screenshot(page, 'banner-api-down');
    expect(errors).toEqual([]);
  });

  it('says the web origin is missing from CORS_ORIGINS when the API refuses it', async () => {
    await stack.startApi({ CORS_ORIGINS: 'http://localhost:1' });
    const { page, errors } = await openPage(browser, { allow: EXPECTED });
    await page.goto(stack.webUrl);
    const banner = page.locator('[role="alert"][data-finding="cors_blocked"]');
    await banner.waitFor({ timeout: 30_000 });
    const text = await banner.textContent();
    expect(text).toContain('CORS_ORIGINS');
    expect(text).toContain(stack.webUrl);
    expect(text).toContain('pnpm run doctor');
    await screenshot(page, 'banner-cors');
    expect(errors).toEqual([]);
  });
});
