import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

describe('home page', () => {
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

  it('shows the API as operational, with no console error', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(stack.webUrl);
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 20_000 })
      .toMatch(/operational/i);
    await screenshot(page, 'home');
    expect(errors).toEqual([]);
  });
});
