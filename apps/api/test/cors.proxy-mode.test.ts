import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, FOREIGN_ORIGINS } from './support/cors-cases.js';
import { corsHeaderNames, rawRequest } from './support/raw-request.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Behind the proxy, nginx owns CORS; a header from the app too would make two ACAO headers.
describe('CORS behind the proxy (CORS_MODE=proxy)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_MODE: 'proxy', CORS_ORIGINS: ALLOWED_ORIGIN } });
  });
  afterAll(() => t.close());

  it.each([['the allowed origin', ALLOWED_ORIGIN], ...FOREIGN_ORIGINS])(
    'sends no Access-Control-* header for %s',
    async (_, origin) => {
      const simple = await rawRequest(`${t.api}/health`, { headers: { origin } });
      expect(simple.status).toBe(200);
      expect(corsHeaderNames(simple)).toEqual([]);
      const preflight = await rawRequest(`${t.api}/health`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).not.toBe(204);
      expect(corsHeaderNames(preflight)).toEqual([]);
    },
  );
});
