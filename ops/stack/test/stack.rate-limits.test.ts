import { type ProblemDetails, WS_CLOSE } from '@repo/contracts';
import { disposeClients, freePort, verifiedUser } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type ApiReplica, NO_RATE_LIMITS, type Stack, startStack } from '../src/index.js';
import { logEntries, upstreamAddress, upstreamsOf } from './support/access-log.js';
import { rawRequest } from './support/raw-request.js';

/**
 * Limits shared by the API replicas behind nginx: the login limit per client address counts the
 * attempts of every replica together (in PostgreSQL), and so does the per-user WebSocket cap,
 * even after a replica is killed with sockets open.
 */
const LOGIN_LIMIT = 5;
const WS_CAP = 2;
const HEARTBEAT_MS = 2_000;

let stack: Stack;
let apiPort: number;

beforeAll(async () => {
  apiPort = await freePort();
  stack = await startStack({
    apiPort,
    apiFrom: 'source',
    replicas: 2,
    apiEnv: {
      ...NO_RATE_LIMITS,
      RATE_LIMIT_LOGIN_PER_IP: String(LOGIN_LIMIT),
      WS_MAX_CONNECTIONS_PER_USER: String(WS_CAP),
      WS_HEARTBEAT_MS: String(HEARTBEAT_MS),
      LOG_LEVEL: 'warn',
    },
  });
});
afterAll(() => stack?.stop());

describe('the login limit per client address, across two replicas (RATE_LIMIT_LOGIN_PER_IP=5)', () => {
  /** A wrong login through nginx from `from` (the client address nginx sees), with an id to find it in the access log. */
  const attempt = (from: string, requestId: string) =>
    rawRequest(`http://127.0.0.1:${apiPort}/api/v1/auth/login`, {
      localAddress: from,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        // A client's own X-Forwarded-For is replaced by nginx: it cannot pick the address counted.
        'x-forwarded-for': '10.9.8.7',
      },
      body: JSON.stringify({ email: `nobody-${requestId}@example.com`, password: 'wrong-pass-1' }),
    });

  it('lets exactly 5 wrong logins through although nginx alternates the replicas; the 6th and later are 429', async () => {
    const ids = Array.from({ length: LOGIN_LIMIT + 3 }, (_, i) => `shared-limit-${i}`);
    const statuses: number[] = [];
    for (const id of ids) {
      const res = await attempt('127.0.0.21', id);
      statuses.push(res.status);
      if (res.status === 429)
        expect((JSON.parse(res.body) as ProblemDetails).code).toBe('rate_limited');
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);

    // Both replicas answered, the allowed attempts among them: each alone would have let 5 through.
    const entries = await logEntries(stack, (e) => ids.includes(e.requestId), ids.length);
    const answeredBy = (id: string) => upstreamsOf(entries.find((e) => e.requestId === id)!).at(-1);
    const replicas = stack.replicas.map(upstreamAddress);
    const allowedBy = new Set(ids.slice(0, LOGIN_LIMIT).map(answeredBy));
    expect([...allowedBy].sort()).toEqual([...replicas].sort());
    expect(new Set(ids.map(answeredBy)).size).toBe(2);

    // Another client address is not held to that count.
    expect((await attempt('127.0.0.22', 'shared-limit-other')).status).toBe(401);
  });
});

describe('the per-user WebSocket cap across replicas (WS_MAX_CONNECTIONS_PER_USER=2)', () => {
  /** A socket to this replica directly, authenticated in the upgrade: 'ready', or its close code. */
  const sockets: WebSocket[] = [];
  const open = (replica: ApiReplica, accessToken: string) =>
    new Promise<'ready' | number>((resolve, reject) => {
      const socket = new WebSocket(`${replica.url.replace(/^http/, 'ws')}/ws`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      sockets.push(socket);
      socket.on('message', (data) => {
        if ((JSON.parse((data as Buffer).toString('utf8')) as { type: string }).type === 'ready')
          resolve('ready');
      });
      socket.on('close', (code) => resolve(code));
      socket.on('error', reject);
    });
  afterAll(() => {
    for (const socket of sockets) socket.terminate();
  });

  it('holds across replicas, and frees the places of a killed replica once their lease runs out', async () => {
    const { accessToken } = await verifiedUser(stack.apiUrl);
    disposeClients();
    const [doomed, survivor] = stack.replicas as [ApiReplica, ApiReplica];
    expect(await open(doomed, accessToken)).toBe('ready');
    expect(await open(survivor, accessToken)).toBe('ready');
    expect(await open(survivor, accessToken)).toBe(WS_CLOSE.rateLimited);

    // Killed with its socket open: nothing of it says goodbye.
    await doomed.service.stop('SIGKILL');
    expect(await open(survivor, accessToken)).toBe(WS_CLOSE.rateLimited);
    // Its lease lasts three heartbeats past its last renewal.
    await expect
      .poll(() => open(survivor, accessToken), { timeout: 20_000, interval: 500 })
      .toBe('ready');
  });
});
