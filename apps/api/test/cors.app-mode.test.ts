import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, FOREIGN_ORIGINS } from './support/cors-cases.js';
import { corsHeaderNames, headerValues, rawRequest } from './support/raw-request.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const preflight = (origin: string, method = 'POST') => ({
  method: 'OPTIONS',
  headers: {
    origin,
    'access-control-request-method': method,
    'access-control-request-headers': 'content-type, authorization',
  },
});

describe('CORS in the app (CORS_MODE=app)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: { CORS_MODE: 'app', CORS_ORIGINS: `${ALLOWED_ORIGIN},https://app.example.com` },
    });
  });
  afterAll(() => t.close());

  it('answers an allowed origin with exactly one exact ACAO, credentials, Vary and exposed headers', async () => {
    const res = await rawRequest(`${t.api}/health`, { headers: { origin: ALLOWED_ORIGIN } });
    expect(res.status).toBe(200);
    expect(headerValues(res, 'access-control-allow-origin')).toEqual([ALLOWED_ORIGIN]);
    expect(headerValues(res, 'access-control-allow-credentials')).toEqual(['true']);
    expect(headerValues(res, 'vary').join(',')).toMatch(/\bOrigin\b/i);
    expect(headerValues(res, 'access-control-expose-headers')).toEqual([
      'X-Request-Id, X-Total-Count, Retry-After',
    ]);
  });

  it('echoes each listed origin, not the first one', async () => {
    const res = await rawRequest(`${t.api}/health`, {
      headers: { origin: 'https://app.example.com' },
    });
    expect(headerValues(res, 'access-control-allow-origin')).toEqual(['https://app.example.com']);
  });

  it('answers an allowed preflight with 204 and the allowed methods, headers and max age', async () => {
    const res = await rawRequest(`${t.api}/health`, preflight(ALLOWED_ORIGIN));
    expect(res.status).toBe(204);
    expect(headerValues(res, 'access-control-allow-origin')).toEqual([ALLOWED_ORIGIN]);
    expect(headerValues(res, 'access-control-allow-credentials')).toEqual(['true']);
    expect(headerValues(res, 'access-control-allow-methods')).toEqual([
      'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    ]);
    expect(headerValues(res, 'access-control-allow-headers')).toEqual([
      'Content-Type, Authorization, Accept, X-Request-Id, X-API-Key',
    ]);
    expect(headerValues(res, 'access-control-max-age')).toEqual(['86400']);
    expect(headerValues(res, 'vary').join(',')).toMatch(/\bOrigin\b/i);
  });

  it('answers a preflight for any route, even one that does not exist yet', async () => {
    const res = await rawRequest(`${t.api}/auth/login`, preflight(ALLOWED_ORIGIN));
    expect(res.status).toBe(204);
  });

  describe.each(FOREIGN_ORIGINS)('refuses %s (%s)', (_, origin) => {
    it('sends no Access-Control-* header on a simple request', async () => {
      const res = await rawRequest(`${t.api}/health`, { headers: { origin } });
      expect(res.status).toBe(200);
      expect(corsHeaderNames(res)).toEqual([]);
      expect(headerValues(res, 'vary').join(',')).toMatch(/\bOrigin\b/i);
    });

    it('refuses its preflight with a 403 problem and no Access-Control-* header', async () => {
      const res = await rawRequest(`${t.api}/health`, preflight(origin));
      expect(res.status).toBe(403);
      expect(corsHeaderNames(res)).toEqual([]);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'origin_not_allowed', status: 403 });
    });
  });

  it('serves clients that send no Origin (servers, curl) without CORS headers', async () => {
    const res = await rawRequest(`${t.api}/health`);
    expect(res.status).toBe(200);
    expect(corsHeaderNames(res)).toEqual([]);
  });

  it('adds CORS headers to error responses too, so the browser can read the problem', async () => {
    const res = await rawRequest(`${t.api}/nope`, { headers: { origin: ALLOWED_ORIGIN } });
    expect(res.status).toBe(404);
    expect(headerValues(res, 'access-control-allow-origin')).toEqual([ALLOWED_ORIGIN]);
  });
});
