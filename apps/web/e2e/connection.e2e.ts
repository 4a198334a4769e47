import { FINDINGS } from '@repo/client/diagnosis';
import { tallyPosts } from '@repo/test-support';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionMessage } from '../src/lib/connection.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { homeWithFailingApi } from './support/connection.js';
import { type Stack, startStack } from './support/stack.js';

/** What only developers are told: the variables and commands of the hints. */
const DEVELOPER_TEXT = /CORS_ORIGINS|pnpm|doctor/;
const unreachable = connectionMessage('api_unreachable');

/**
 * Waits until the page loads nothing more: a hint loaded on demand (as development builds do)
 * would be on screen by then, so its absence means something.
 */
const settled = (page: Page) => page.waitForLoadState('networkidle');

/** A stack with a web build of the given kind and a browser, for the tests of a describe block. */
function stackAndBrowser(build: 'production' | 'development') {
  const run = {} as { stack: Stack; browser: Browser };
  beforeAll(async () => {
    run.stack = await startStack({}, build);
    run.browser = await launchBrowser();
  });
  afterAll(async () => {
    await run.browser?.close();
    await run.stack?.stop();
  });
  return run;
}

describe('production build: the banner and the status card tell visitors what they can do', () => {
  const run = stackAndBrowser('production');

  // First: the next tests stop the API.
  it('a body over the limit, posted by the page straight to the API 100 times: 100 × 413', async () => {
    // The page's own fetch, as the app's client would send it: cross-origin (the 413 must carry
    // the CORS headers to be read), the whole body sent while the API has already answered.
    // Chromium reports each refused request to the console; the tally below is the point.
    const { page, errors } = await openPage(run.browser, {
      allow: [/Failed to load resource: the server responded with a status of 413/],
    });
    await page.goto(run.stack.webUrl);
    const options = {
      url: `${run.stack.apiUrl}/auth/login`,
      bytes: 3 * 1024 * 1024, // 3 × API_BODY_LIMIT
      count: 100,
      concurrency: 5,
    };
    expect(await page.evaluate(tallyPosts, options)).toEqual({ 413: 100 });
    expect(errors).toEqual([]);
  });

  it('the API is down: api_unreachable, in a visitor’s words, with no developer hint', async () => {
    await run.stack.stopApi();
    const { page, banner, card, errors } = await homeWithFailingApi(
      run.browser,
      run.stack.webUrl,
      'api_unreachable',
    );
    expect(await banner.textContent()).toContain(unreachable.title);
    expect(await banner.textContent()).toContain(unreachable.action);
    expect(await card.textContent()).toContain(unreachable.action);
    await settled(page);
    expect(await page.getByTestId('developer-hint').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toMatch(DEVELOPER_TEXT);
    await screenshot(page, 'banner-api-down');
    expect(errors).toEqual([]);
  });

  it('the API refuses the web origin: cors_blocked, and still no developer hint', async () => {
    await run.stack.startApi({ CORS_ORIGINS: 'http://localhost:1' });
    const { page, banner, errors } = await homeWithFailingApi(
      run.browser,
      run.stack.webUrl,
      'cors_blocked',
    );
    expect(await banner.textContent()).toContain(unreachable.title);
    await settled(page);
    expect(await page.getByTestId('developer-hint').count()).toBe(0);
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(DEVELOPER_TEXT);
    expect(text).not.toContain(FINDINGS.cors_blocked.title);
    await screenshot(page, 'banner-cors');
    expect(errors).toEqual([]);
  });
});

describe('development build (next dev): the same places add what a developer must fix', () => {
  const run = stackAndBrowser('development');

  it('the API is down: the finding and how to start the API, in the banner and the card', async () => {
    await run.stack.stopApi();
    const { page, banner, card, errors } = await homeWithFailingApi(
      run.browser,
      run.stack.webUrl,
      'api_unreachable',
    );
    expect(await banner.textContent()).toContain(unreachable.title);
    // Loaded on demand: the first time, the development server compiles it.
    const hint = banner.getByTestId('developer-hint');
    await hint.waitFor({ timeout: 60_000 });
    expect(await hint.textContent()).toContain(FINDINGS.api_unreachable.title);
    expect(await hint.textContent()).toContain('pnpm dev');
    await card.getByTestId('developer-hint').filter({ hasText: 'pnpm dev' }).waitFor();
    await screenshot(page, 'banner-api-down-dev');
    expect(errors).toEqual([]);
  });

  it('the API refuses the web origin: the exact origin to add to CORS_ORIGINS', async () => {
    await run.stack.startApi({ CORS_ORIGINS: 'http://localhost:1' });
    const { page, banner, errors } = await homeWithFailingApi(
      run.browser,
      run.stack.webUrl,
      'cors_blocked',
    );
    const hint = banner.getByTestId('developer-hint');
    await hint.waitFor({ timeout: 60_000 });
    expect(await hint.textContent()).toContain(FINDINGS.cors_blocked.title);
    expect(await hint.textContent()).toContain(`add ${run.stack.webUrl} to CORS_ORIGINS`);
    expect(await hint.textContent()).toContain('pnpm run doctor');
    expect(await banner.getByTestId('cors-origin').textContent()).toBe(run.stack.webUrl);
    await screenshot(page, 'banner-cors-dev');
    expect(errors).toEqual([]);
  });
});
