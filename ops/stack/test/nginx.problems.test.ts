import { problemDetailsSchema } from '@repo/contracts';
import { freePort, postOversized } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS, type Stack, startStack } from '../src/index.js';
import { logEntry } from './support/access-log.js';
import {
  corsHeaderNames,
  headerValues,
  type RawResponse,
  rawRequest,
  upgradeStatus,
} from './support/raw-request.js';

/**
 * The errors nginx answers itself, before or instead of the API (nginx/templates/40-api.conf
 * .template): 429 from its per-address limit on /api/v1/auth/, 413 for a body over
 * API_BODY_LIMIT, 503 when no replica answers. Each is problem details as the API would write
 * them, readable by the web app (CORS headers for an allowed origin), with the request id.
 */

const BODY_LIMIT = 1_048_576; // API_BODY_LIMIT's default, for nginx and the API alike

let stack: Stack;
let apiPort: number;
beforeAll(async () => {
  apiPort = await freePort();
  stack = await startStack({
    apiPort,
    apiFrom: 'source',
    apiEnv: { ...NO_RATE_LIMITS, LOG_LEVEL: 'warn' },
    nginxEnv: { NGINX_AUTH_RATE: '1r/s', NGINX_AUTH_BURST: '2' },
  });
});
afterAll(() => stack?.stop());

/** What every problem nginx writes must be: a valid problem with its code, readable cross-site. */
async function expectNginxProblem(res: RawResponse, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(headerValues(res, 'content-type')).toEqual(['application/problem+json']);
  const problem = problemDetailsSchema.parse(JSON.parse(res.body));
  expect(problem).toMatchObject({ status, code, type: `urn:problem:${code}` });
  expect(problem.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/); // UTC, as the API's
  expect(Number.isNaN(Date.parse(problem.timestamp))).toBe(false);
  const [id] = headerValues(res, 'x-request-id');
  expect(problem.requestId).toBe(id);
  expect(headerValues(res, 'x-content-type-options')).toEqual(['nosniff']);
  // For the allowed origin: exactly the CORS headers of any other answer.
  expect(headerValues(res, 'access-control-allow-origin')).toEqual([stack.webUrl]);
  expect(headerValues(res, 'access-control-allow-credentials')).toEqual(['true']);
  expect(headerValues(res, 'access-control-expose-headers')).toEqual([
    'X-Request-Id, X-Total-Count, Retry-After',
  ]);
  return { problem, logged: await logEntry(stack, id!) };
}

const login = (from: string, origin: string) =>
  rawRequest(`http://127.0.0.1:${apiPort}/api/v1/auth/login`, {
    localAddress: from,
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password-1' }),
  });

/** `count` logins at once from one address: past the burst, nginx answers them itself. */
const burst = (from: string, origin: string, count: number) =>
  Promise.all(Array.from({ length: count }, () => login(from, origin)));

describe('429: nginx’s limit on /api/v1/auth/ (NGINX_AUTH_RATE=1r/s, NGINX_AUTH_BURST=2)', () => {
  it('answers a burst past the limit with rate_limited problems and Retry-After; the rest reach the API', async () => {
    const answers = await burst('127.0.0.2', stack.webUrl, 8);
    const limited = answers.filter((r) => r.status === 429);
    const passed = answers.filter((r) => r.status !== 429);
    expect(passed.length).toBeGreaterThanOrEqual(3); // one, plus the burst of two
    for (const res of passed) expect(res.status).toBe(401); // the API's answer
    expect(limited.length).toBeGreaterThanOrEqual(1);

    const { problem, logged } = await expectNginxProblem(limited[0]!, 429, 'rate_limited');
    expect(problem.instance).toBe('/api/v1/auth/login');
    expect(headerValues(limited[0]!, 'retry-after')).toEqual(['1']);
    expect(logged.upstream).toBe(''); // never reached an API replica
  });

  it('limits each client address on its own, and only the auth routes', async () => {
    const answers = await burst('127.0.0.3', stack.webUrl, 8);
    expect(answers.map((r) => r.status)).toContain(429);
    expect((await login('127.0.0.4', stack.webUrl)).status).toBe(401);
    const other = await rawRequest(`http://127.0.0.1:${apiPort}/api/v1/health`, {
      localAddress: '127.0.0.3',
    });
    expect(other.status).toBe(200);
    expect(headerValues(other, 'retry-after')).toEqual([]);
  });

  it('gives a foreign origin no CORS header on its 429 either', async () => {
    const res = (await burst('127.0.0.5', 'http://evil.example', 8)).find((r) => r.status === 429);
    expect(res).toBeDefined();
    expect(corsHeaderNames(res!)).toEqual([]);
    expect(headerValues(res!, 'retry-after')).toEqual(['1']);
  });
});

describe('413: a body over API_BODY_LIMIT', () => {
  const postNote = (size: number) => {
    const prefix = '{"title":"big","body":"';
    const suffix = '"}';
    return rawRequest(`${stack.apiUrl}/notes`, {
      method: 'POST',
      headers: { origin: stack.webUrl, 'content-type': 'application/json' },
      body: prefix + 'a'.repeat(size - prefix.length - suffix.length) + suffix,
    });
  };

  it('is refused by nginx with a payload_too_large problem, before any replica reads it', async () => {
    const res = await postNote(BODY_LIMIT + 1);
    const { problem, logged } = await expectNginxProblem(res, 413, 'payload_too_large');
    expect(problem.detail).toContain(String(BODY_LIMIT));
    expect(logged.upstream).toBe('');
  });

  it('reaches a client still sending: 100 × 20 MB with Node’s fetch, 100 × 413, no network error', async () => {
    // nginx reads and discards a refused body before it closes, so the client can read the 413.
    const url = `${stack.apiUrl}/notes`;
    const tally = await postOversized({ url, bytes: 20 * BODY_LIMIT, count: 100, concurrency: 5 });
    expect(tally).toEqual({ 413: 100 });
  });

  it('a body of exactly the limit passes nginx and reaches the API (401 without a token)', async () => {
    const res = await postNote(BODY_LIMIT);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'unauthorized' });
  });
});

// Last: it stops the replicas.
describe('503: no API replica answers', () => {
  it('answers service_unavailable problems, CORS headers for the allowed origin only', async () => {
    await Promise.all(stack.replicas.map((r) => r.service.stop()));

    for (const [method, path] of [
      ['GET', '/health'],
      ['POST', '/notes'],
      ['GET', '/no-such-route'],
    ] as const) {
      const res = await rawRequest(`${stack.apiUrl}${path}`, {
        method,
        headers: { origin: stack.webUrl, 'content-type': 'application/json' },
        body: method === 'POST' ? '{"title":"x"}' : undefined,
      });
      const { problem, logged } = await expectNginxProblem(res, 503, 'service_unavailable');
      expect(problem.instance).toBe(`/api/v1${path}`);
      expect(logged.upstream).not.toBe(''); // it tried the replicas
    }

    const foreign = await rawRequest(`${stack.apiUrl}/health`, {
      headers: { origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(503);
    expect(corsHeaderNames(foreign)).toEqual([]);
  });

  it('refuses a WebSocket upgrade with 503 as well', async () => {
    expect(await upgradeStatus(stack.wsUrl)).toBe(503);
  });
});
