import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AuthTokens, type ProblemDetails, type Session } from '@repo/contracts';
import { type Credentials, disposeClients, freePort, verifiedUser } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { NO_RATE_LIMITS, type Stack, startStack } from '../src/index.js';
import { logEntry } from './support/access-log.js';
import { headerValues, type RawResponse, rawRequest } from './support/raw-request.js';

/**
 * What nginx does to the requests it passes on (nginx/templates/40-api.conf.template): request
 * ids, X-Forwarded-*, a JSON access log without secrets, compression, one nosniff header, and
 * WebSockets that outlive nginx's read timeout thanks to the API's heartbeat.
 */

/** Logins per minute per client address, counted by both API processes together. */
const LOGIN_LIMIT = 3;
const HEARTBEAT_MS = 1_000;
const WS_READ_TIMEOUT_S = 3;

interface ApiLogLine {
  msg?: string;
  req?: { id?: string; url?: string; headers?: Record<string, string> };
}

let stack: Stack;
let apiPort: number;
const apiLog: ApiLogLine[] = [];
let user: { credentials: Credentials; accessToken: string };

beforeAll(async () => {
  apiPort = await freePort();
  stack = await startStack({
    apiPort,
    apiFrom: 'source',
    apiEnv: {
      ...NO_RATE_LIMITS,
      RATE_LIMIT_LOGIN_PER_IP: String(LOGIN_LIMIT),
      LOG_LEVEL: 'warn', // still one line per 4xx request
      LOG_FORMAT: 'json',
      WS_HEARTBEAT_MS: String(HEARTBEAT_MS),
    },
    nginxEnv: { NGINX_WS_READ_TIMEOUT: `${WS_READ_TIMEOUT_S}s` },
    sink: (source, line) => {
      if (!source.startsWith('api-') || !line.startsWith('{')) return;
      apiLog.push(JSON.parse(line) as ApiLogLine);
    },
  });
  user = await verifiedUser(stack.apiUrl);
  disposeClients(); // only its token is needed
});
afterAll(() => stack?.stop());

/** The API's log line for a request, by id (written after the response: polled). */
async function apiLogLine(requestId: string) {
  await expect.poll(() => apiLog.some((l) => l.req?.id === requestId && l.msg)).toBe(true);
  return apiLog.find((l) => l.req?.id === requestId)!;
}

const problemOf = (res: RawResponse) => JSON.parse(res.body) as ProblemDetails;
const NGINX_ID = /^[0-9a-f]{32}$/;

describe('X-Request-Id through nginx', () => {
  it('keeps a valid incoming id: the API gets it, the response and the access log carry it', async () => {
    const id = 'client-chosen.id:0001';
    const res = await rawRequest(`${stack.apiUrl}/no-such-route`, {
      headers: { 'x-request-id': id },
    });
    expect(res.status).toBe(404);
    expect(headerValues(res, 'x-request-id')).toEqual([id]);
    expect(problemOf(res).requestId).toBe(id); // written by the API
    expect((await apiLogLine(id)).req?.url).toBe('/api/v1/no-such-route');
    expect(await logEntry(stack, id)).toMatchObject({ path: '/api/v1/no-such-route', status: 404 });
  });

  it('makes one when there is none: the same id in the response, the API and the access log', async () => {
    const res = await rawRequest(`${stack.apiUrl}/no-such-route`);
    const [id] = headerValues(res, 'x-request-id');
    expect(headerValues(res, 'x-request-id')).toHaveLength(1);
    expect(id).toMatch(NGINX_ID);
    expect(problemOf(res).requestId).toBe(id);
    await apiLogLine(id!);
    expect(await logEntry(stack, id!)).toMatchObject({ method: 'GET', status: 404 });
  });

  it.each([
    ['spaces', 'has spaces in it'],
    ['too short', 'short'],
    ['too long', 'x'.repeat(129)],
    ['a header injection attempt', 'abcdefgh;\tq=1'],
    ['non-ASCII', 'identifiant-é-0001'],
  ])('replaces an invalid incoming id (%s) with its own', async (_, bad) => {
    const res = await rawRequest(`${stack.apiUrl}/no-such-route`, {
      headers: { 'x-request-id': bad },
    });
    const ids = headerValues(res, 'x-request-id');
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(NGINX_ID);
    expect(problemOf(res).requestId).toBe(ids[0]);
    expect(await logEntry(stack, ids[0]!)).toMatchObject({ status: 404 });
  });
});

describe('the client as the API sees it', () => {
  it('X-Forwarded-* are nginx’s: a client cannot choose its address, scheme or host', async () => {
    const id = 'forwarded-headers-0001';
    await rawRequest(`${stack.apiUrl}/no-such-route`, {
      headers: {
        'x-request-id': id,
        'x-forwarded-for': '1.2.3.4',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-port': '443',
      },
    });
    expect((await apiLogLine(id)).req?.headers).toMatchObject({
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'localhost',
      'x-forwarded-port': String(apiPort),
    });
  });

  it('a session records the client’s own address, not a spoofed X-Forwarded-For', async () => {
    const login = await rawRequest(`http://127.0.0.1:${apiPort}/api/v1/auth/login`, {
      localAddress: '127.0.0.7',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '1.2.3.4' },
      body: JSON.stringify({ email: user.credentials.email, password: user.credentials.password }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = JSON.parse(login.body) as AuthTokens;
    const sessions = await rawRequest(`${stack.apiUrl}/auth/sessions`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const current = (JSON.parse(sessions.body) as Session[]).find((s) => s.current);
    expect(current?.ip).toBe('127.0.0.7');
  });

  it('the API’s login limit counts the client’s address: varying X-Forwarded-For does not escape it', async () => {
    const attempt = (from: string, i: number) =>
      rawRequest(`http://127.0.0.1:${apiPort}/api/v1/auth/login`, {
        localAddress: from,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.${i}.1` },
        body: JSON.stringify({ email: `nobody-${i}@example.com`, password: 'wrong-password-1' }),
      });
    const statuses: number[] = [];
    let limited: RawResponse | undefined;
    for (let i = 0; i < 4 * LOGIN_LIMIT + 2; i++) {
      const res = await attempt('127.0.0.5', i);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    // The replicas let LOGIN_LIMIT through in all; every other attempt was refused. Had the API
    // believed X-Forwarded-For, each attempt would have come from a new address: no 429 at all.
    expect(statuses.filter((s) => s === 401).length).toBe(LOGIN_LIMIT);
    expect([...new Set(statuses)].sort()).toEqual([401, 429]);
    expect(problemOf(limited!)).toMatchObject({ code: 'rate_limited' });
    expect(problemOf(limited!).detail).toMatch(/Too many attempts/); // the API's, not nginx's
    // Another address is not limited: the limit is per client, not global.
    expect((await attempt('127.0.0.6', 99)).status).toBe(401);
  });
});

describe('the access log', () => {
  it('never contains the Authorization header, cookies, API keys or the query string', async () => {
    const secrets = {
      query: 'query-secret-7f3a9c',
      cookie: 'cookie-secret-b81d20',
      apiKey: 'sk_apikeysecret0123456789',
    };
    const ids = ['log-privacy-0001', 'log-privacy-0002'];
    for (const [i, path] of ['/users/me', '/no-such-route'].entries()) {
      await rawRequest(
        `${stack.apiUrl}${path}?token=${secrets.query}&access_token=${secrets.query}`,
        {
          headers: {
            'x-request-id': ids[i]!,
            authorization: `Bearer ${user.accessToken}`,
            cookie: `refresh_token=${secrets.cookie}; other=${secrets.cookie}`,
            'x-api-key': secrets.apiKey,
          },
        },
      );
    }
    const entries = await Promise.all(ids.map((id) => logEntry(stack, id)));
    expect(entries.map((e) => e.path)).toEqual(['/api/v1/users/me', '/api/v1/no-such-route']);
    const text = await readFile(join(stack.nginxDir, 'access.log'), 'utf8');
    expect(text).toContain('log-privacy-0002');
    for (const secret of [user.accessToken, ...Object.values(secrets), 'token=', 'Bearer'])
      expect(text, secret).not.toContain(secret);
  });
});

describe('responses', () => {
  it('a JSON response over 1 KB is gzip-compressed by nginx when the client accepts it', async () => {
    const url = `${stack.apiUrl.replace('/api/v1', '')}/api/docs/openapi.json`;
    const zipped = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toMatch(/Accept-Encoding/);
    const document = (await zipped.json()) as { openapi: string }; // fetch decompresses
    expect(document.openapi).toMatch(/^3\./);

    // Not compressed when not asked for, nor by the API itself (nginx does it).
    const plain = await rawRequest(url);
    expect(headerValues(plain, 'content-encoding')).toEqual([]);
    expect(plain.body.length).toBeGreaterThan(1024);
    expect(JSON.parse(plain.body)).toEqual(document);
    const direct = await rawRequest(`${stack.replicas[0]!.url}/api/docs/openapi.json`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(headerValues(direct, 'content-encoding')).toEqual([]);
  });

  it('a response under 1 KB is not compressed', async () => {
    const res = await rawRequest(`${stack.apiUrl}/health`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.status).toBe(200);
    expect(headerValues(res, 'content-encoding')).toEqual([]);
  });

  it.each([
    ['an API answer', '/health', {}],
    ['an API error', '/no-such-route', {}],
    ['a refused preflight (nginx’s own)', '/auth/login', { method: 'OPTIONS' }],
  ])('carry exactly one X-Content-Type-Options: %s', async (_, path, options) => {
    const res = await rawRequest(`${stack.apiUrl}${path}`, {
      ...options,
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(headerValues(res, 'x-content-type-options')).toEqual(['nosniff']);
  });
});

describe('WebSockets through nginx', () => {
  it(`an idle socket (no client message) outlives nginx's ${WS_READ_TIMEOUT_S} s read timeout: the API's pings keep it open`, async () => {
    const socket = new WebSocket(stack.wsUrl, {
      headers: { authorization: `Bearer ${user.accessToken}` },
    });
    const messages: { type: string; id?: string }[] = [];
    let pings = 0;
    let closed: number | undefined;
    socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as never));
    socket.on('ping', () => pings++);
    socket.on('close', (code) => (closed = code));
    try {
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      await expect.poll(() => messages.map((m) => m.type)).toContain('ready');

      await new Promise((resolve) => setTimeout(resolve, 2 * WS_READ_TIMEOUT_S * 1_000));
      expect(closed).toBeUndefined();
      expect(socket.readyState).toBe(WebSocket.OPEN);
      expect(pings).toBeGreaterThanOrEqual(3); // the heartbeat crossed nginx all along

      socket.send(JSON.stringify({ type: 'ping', id: 'still-there' }));
      await expect.poll(() => messages.at(-1)).toEqual({ type: 'pong', id: 'still-there' });
    } finally {
      socket.terminate();
    }
  });
});
