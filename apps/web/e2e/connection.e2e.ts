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
    const banner = page
      .getByRole('alert')
      .filter({ hasText: /reach|running|start/i })
      .first();
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toMatch(/pnpm dev|running/i);
    await screenshot(page, 'banner-api-down');
    expect(errors).toEqual([]);
  });

  it('says the web origin is missing from CORS_ORIGINS when the API refuses it', async () => {
    await stack.startApi({ CORS_ORIGINS: 'http://localhost:1' });
    const { page, errors } = await openPage(browser, { allow: EXPECTED });
    await page.goto(stack.webUrl);
    const banner = page
      .getByRole('alert')
      .filter({ hasText: /CORS_ORIGINS/ })
      .first();
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toContain(stack.webUrl);
    await screenshot(page, 'banner-cors');
    expect(errors).toEqual([]);
  });
});
