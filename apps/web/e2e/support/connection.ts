import { type ConnectionFinding } from '@repo/client';
import { type Browser } from 'playwright-core';
import { connectionMessage } from '../../src/lib/connection.js';
import { openPage } from './browser.js';

// The browser reports these failures to the console itself; they are the point of these tests.
const EXPECTED_CONSOLE_ERRORS = [
  /ERR_CONNECTION_REFUSED/,
  /CORS policy/,
  /Failed to load resource/,
  /net::ERR_FAILED/,
];

/**
 * Opens the home page while the API fails, and waits for the connection banner to report
 * `finding` (its code in `data-finding`) and for the status card to say so in the same words.
 */
export async function homeWithFailingApi(
  browser: Browser,
  webUrl: string,
  finding: ConnectionFinding,
) {
  const watched = await openPage(browser, { allow: EXPECTED_CONSOLE_ERRORS });
  const { page } = watched;
  await page.goto(webUrl);
  const banner = page.locator(`[role="alert"][data-finding="${finding}"]`);
  await banner.waitFor({ timeout: 60_000 });
  const card = page.getByRole('region', { name: 'API status' });
  await card
    .getByRole('status')
    .filter({ hasText: connectionMessage(finding).title })
    .waitFor();
  return { ...watched, banner, card };
}
