import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionMessage } from '../src/lib/connection.js';
import { E2E_DIST_DIR, WEB_DIR } from './support/global-setup.js';

/**
 * Developer texts: the variable and the commands the hints name, anywhere (packages are installed
 * under node_modules/.store, so not even a path Next embeds names the package manager).
 */
const DEVELOPER_TEXT = /CORS_ORIGINS|pnpm/g;

/** Each developer text in `text`, with some context to find it by. */
const developerTexts = (text: string) =>
  [...text.matchAll(DEVELOPER_TEXT)].map((m) =>
    text.slice(Math.max(0, m.index - 40), m.index + 40),
  );

async function scriptsIn(dir: string): Promise<{ file: string; text: string }[]> {
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.js'));
  return Promise.all(
    files.map(async (file) => ({ file, text: await readFile(join(dir, file), 'utf8') })),
  );
}

describe('the JavaScript of the production build (what browsers download)', () => {
  it('holds no developer hint, though it holds the connection banner', async () => {
    // The build global-setup made, as `next build` does for a deployment.
    const scripts = await scriptsIn(join(WEB_DIR, E2E_DIST_DIR, 'static'));
    expect(scripts.length).toBeGreaterThan(0);
    const visitorTitle = connectionMessage('api_unreachable').title;
    expect(scripts.some(({ text }) => text.includes(visitorTitle))).toBe(true);
    const leaks = scripts.flatMap(({ file, text }) =>
      developerTexts(text).map((context) => `${file}: …${context}…`),
    );
    expect(leaks).toEqual([]);
  });

  it('the same check finds the hints in the built module that holds them', async () => {
    // What a development build bundles (the client's diagnosis entry, built like the rest).
    const hints = await readFile(
      join(WEB_DIR, '..', '..', 'packages', 'client', 'dist', 'diagnosis', 'developer-hints.js'),
      'utf8',
    );
    const found = developerTexts(hints).join(' ');
    expect(found).toContain('CORS_ORIGINS');
    expect(found).toContain('pnpm');
  });
});
