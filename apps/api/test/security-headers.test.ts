import { request } from 'node:http';
import { API_PREFIX, DOCS_PATH } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_ORIGIN } from './support/auth-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The security headers, byte for byte as they go on the wire (names as written, values, order):
 * the set helmet 8 sent with the options this API gave it, which these headers replaced.
 */
const SECURITY_HEADERS = [
  [
    'Content-Security-Policy',
    "default-src 'none';base-uri 'self';font-src 'self' https: data:;form-action 'self';" +
      "frame-ancestors 'none';img-src 'self' data:;object-src 'none';" +
      "script-src 'self' 'unsafe-inline';script-src-attr 'none';" +
      "style-src 'self' 'unsafe-inline';connect-src 'self'",
  ],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-site'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

/** What each response has besides the security headers (CORS, the body's, the connection's). */
const OTHER_HEADERS =
  /^(vary|access-control-.*|x-request-id|content-type|content-length|date|connection|keep-alive)$/i;

/** The response's headers as received, in order, as [name, value]. */
const rawHeaders = (url: string, headers: Record<string, string> = {}) =>
  new Promise<string[][]>((resolve, reject) => {
    request(url, { headers }, (res) => {
      res.resume();
      const raw = res.rawHeaders;
      resolve(raw.flatMap((name, i) => (i % 2 === 0 ? [[name, raw[i + 1]!]] : [])));
    })
      .on('error', reject)
      .end();
  });

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['a JSON answer of the API', `${API_PREFIX}/no-such-route`, {}],
    [
      'a JSON answer to a browser (CORS)',
      `${API_PREFIX}/no-such-route`,
      { origin: BROWSER_ORIGIN },
    ],
    ['the docs page', DOCS_PATH, {}],
    ['the OpenAPI document', `${DOCS_PATH}/openapi.json`, {}],
  ])('%s carries exactly the set, byte for byte', async (_, path, headers) => {
    const received = await rawHeaders(`${t.origin}${path}`, headers);
    expect(received.filter(([name]) => !OTHER_HEADERS.test(name!))).toEqual(SECURITY_HEADERS);
  });

  it('a route can still set its own value of one of them', async () => {
    const received = await rawHeaders(`${t.api}/health`);
    const policy = received.filter(([name]) => /^cross-origin-resource-policy$/i.test(name!));
    expect(policy).toEqual([['cross-origin-resource-policy', 'cross-origin']]);
  });
});
