import { problemDetailsSchema } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corsHeaderNames, headerValues, rawRequest, upgradeStatus } from './raw-request.js';
import { type Topology } from './topologies.js';

const WEB_ORIGIN = 'http://localhost:3000';
/** The origins the topology under test must allow (CORS_ORIGINS), and no other. */
export const CORS_CONFORMANCE_ORIGINS = [WEB_ORIGIN, 'https://app.example.com'];
const ALLOWED = CORS_CONFORMANCE_ORIGINS;

/** Origins that must be refused although they look close to WEB_ORIGIN. */
const FOREIGN: [string, string][] = [
  ['an unrelated site', 'http://evil.example'],
  ['the opaque origin null', 'null'],
  ['another port', 'http://localhost:3001'],
  ['https instead of http', 'https://localhost:3000'],
  ['a look-alike host', 'http://localhost.evil.example:3000'],
  ['a suffix trick', 'http://evil-localhost:3000'],
  ['a prefix trick', 'http://localhost:30000'],
  ['upper case', 'HTTP://LOCALHOST:3000'],
  ['a trailing slash', 'http://localhost:3000/'],
  ['a subdomain of an allowed host', 'https://evil.app.example.com'],
];

/** The preflight a browser sends before a credentialed JSON POST with a bearer token. */
const preflight = (origin: string) => ({
  method: 'OPTIONS',
  headers: {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type, authorization',
  },
});

const vary = (res: Awaited<ReturnType<typeof rawRequest>>) =>
  headerValues(res, 'vary')
    .join(',')
    .split(/\s*,\s*/);

/**
 * The CORS rules (docs/api.md, "CORS") as one suite, with the same cases and the same expected
 * results whoever answers CORS: the API itself (`pnpm dev`), nginx (`pnpm stack`, and the compose
 * stack in ops/compose). `start` serves the API allowing exactly the given origins.
 */
export function corsConformance(start: (origins: string[]) => Promise<Topology>) {
  let t: Topology;
  beforeAll(async () => {
    t = await start(ALLOWED);
  });
  afterAll(() => t?.stop());

  describe.each(ALLOWED)('allowed origin %s', (origin) => {
    it('gets exactly one ACAO with that origin, credentials, Vary: Origin and the exposed headers', async () => {
      const res = await rawRequest(`${t.apiUrl}/health`, { headers: { origin } });
      expect(res.status).toBe(200);
      expect(headerValues(res, 'access-control-allow-origin')).toEqual([origin]);
      expect(headerValues(res, 'access-control-allow-credentials')).toEqual(['true']);
      expect(vary(res)).toContain('Origin');
      expect(headerValues(res, 'access-control-expose-headers')).toEqual([
        'X-Request-Id, X-Total-Count, Retry-After',
      ]);
    });

    it('gets its preflight for a credentialed JSON POST answered 204 with methods, headers and max age', async () => {
      const res = await rawRequest(`${t.apiUrl}/auth/login`, preflight(origin));
      expect(res.status).toBe(204);
      expect(headerValues(res, 'access-control-allow-origin')).toEqual([origin]);
      expect(headerValues(res, 'access-control-allow-credentials')).toEqual(['true']);
      expect(headerValues(res, 'access-control-allow-methods')).toEqual([
        'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      ]);
      expect(headerValues(res, 'access-control-allow-headers')).toEqual([
        'Content-Type, Authorization, Accept, X-Request-Id, X-API-Key, traceparent, tracestate',
      ]);
      expect(headerValues(res, 'access-control-max-age')).toEqual(['86400']);
      expect(vary(res)).toContain('Origin');
    });

    it('can read the actual credentialed request, errors included', async () => {
      const login = await rawRequest(`${t.apiUrl}/auth/login`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password-123' }),
      });
      expect(login.status).toBe(401);
      expect(headerValues(login, 'access-control-allow-origin')).toEqual([origin]);
      expect(headerValues(login, 'access-control-allow-credentials')).toEqual(['true']);
      const missing = await rawRequest(`${t.apiUrl}/nope`, { headers: { origin } });
      expect(missing.status).toBe(404);
      expect(headerValues(missing, 'access-control-allow-origin')).toEqual([origin]);
    });

    it('opens a WebSocket', async () => {
      expect(await upgradeStatus(t.wsUrl, origin)).toBe(101);
    });
  });

  it('answers a preflight for any path, even one that does not exist', async () => {
    const res = await rawRequest(`${t.apiUrl}/not/a/route`, preflight(WEB_ORIGIN));
    expect(res.status).toBe(204);
    expect(headerValues(res, 'access-control-allow-origin')).toEqual([WEB_ORIGIN]);
  });

  describe.each(FOREIGN)('refused: %s (%s)', (_, origin) => {
    it('gets no Access-Control-* header on a simple request, and Vary: Origin', async () => {
      const res = await rawRequest(`${t.apiUrl}/health`, { headers: { origin } });
      expect(res.status).toBe(200);
      expect(corsHeaderNames(res)).toEqual([]);
      expect(vary(res)).toContain('Origin');
    });

    it('gets its preflight refused with a 403 problem and no Access-Control-* header', async () => {
      const res = await rawRequest(`${t.apiUrl}/auth/login`, preflight(origin));
      expect(res.status).toBe(403);
      expect(corsHeaderNames(res)).toEqual([]);
      expect(headerValues(res, 'content-type')[0]).toMatch(/^application\/problem\+json/);
      const problem = problemDetailsSchema.parse(JSON.parse(res.body));
      expect(problem).toMatchObject({ code: 'origin_not_allowed', status: 403 });
    });

    it('cannot open a WebSocket (403)', async () => {
      expect(await upgradeStatus(t.wsUrl, origin)).toBe(403);
    });
  });

  it('serves clients without Origin (servers, curl) without CORS headers, WebSocket included', async () => {
    const res = await rawRequest(`${t.apiUrl}/health`);
    expect(res.status).toBe(200);
    expect(corsHeaderNames(res)).toEqual([]);
    expect(await upgradeStatus(t.wsUrl)).toBe(101);
  });

  it('refuses a preflight that carries no Origin', async () => {
    const res = await rawRequest(`${t.apiUrl}/auth/login`, {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(403);
    expect(corsHeaderNames(res)).toEqual([]);
  });

  it('has CORS answered by the API processes only where they are meant to (seen directly)', async () => {
    for (const url of t.apiProcessUrls) {
      const direct = await rawRequest(`${url}/api/v1/health`, { headers: { origin: WEB_ORIGIN } });
      const directPreflight = await rawRequest(`${url}/api/v1/auth/login`, preflight(WEB_ORIGIN));
      if (t.apiAnswersCors) {
        expect(headerValues(direct, 'access-control-allow-origin')).toEqual([WEB_ORIGIN]);
        expect(directPreflight.status).toBe(204);
      } else {
        expect(corsHeaderNames(direct)).toEqual([]);
        expect(corsHeaderNames(directPreflight)).toEqual([]);
        expect(directPreflight.status).not.toBe(204);
      }
    }
  });
}
