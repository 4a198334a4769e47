import { describe, expect, it } from 'vitest';
import { stack } from './support/compose.js';

describe('compose stack: the web app through nginx', () => {
  it('serves the page, and its static assets from the proxy cache', async () => {
    const page = await fetch(`${stack.webUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const asset = /\/_next\/static\/[^"'\s]+\.js/.exec(html)?.[0];
    expect(asset, 'a script of the page').toBeDefined();

    const first = await fetch(`${stack.webUrl}${asset}`);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    // A first fetch may already hit: the page's own load is not the only client.
    expect(['MISS', 'HIT']).toContain(first.headers.get('x-cache-status'));
    const second = await fetch(`${stack.webUrl}${asset}`);
    expect(second.status).toBe(200);
    expect(second.headers.get('x-cache-status')).toBe('HIT');
    expect(second.headers.get('cache-control')).toMatch(/immutable/);
  });
});
