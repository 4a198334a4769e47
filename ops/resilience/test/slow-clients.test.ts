import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  connected,
  disposeClients,
  disposeRealtime,
  realtimeClient,
  verifiedUser,
} from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from './support/api.js';
import { report } from './support/report.js';

/**
 * Slow clients: hundreds of idle connections and clients trickling their headers or body a byte
 * a second hold sockets, but must not stop anyone else from being served, and the server must
 * let go of them once its request timeout (API_REQUEST_TIMEOUT_MS, short here) has passed. An
 * authenticated WebSocket, idle as long, is not an HTTP request and stays open.
 */

const TIMEOUT_MS = 3_000;
/** The server checks its timeouts every second: a connection may outlive its timeout by that. */
const CHECK_MS = 1_000;
const IDLE = 200;
const SLOW_HEADERS = 20;
const SLOW_BODIES = 20;
/** How long a normal request may take while all of them hold their sockets. */
const QUICK_MS = 1_000;

type Kind = 'idle' | 'slow headers' | 'slow body';

interface Held {
  kind: Kind;
  socket: Socket;
  openedAt: number;
  /** The server ended its side (FIN). */
  endedAt?: number;
  /** The connection is gone: the server reset it when this client kept writing. */
  closedAt?: number;
  received: string;
}

describe('slow clients: idle and trickling connections', () => {
  let api: TestApi;
  let accessToken: string;
  const held: Held[] = [];

  beforeAll(async () => {
    api = await startApi({ API_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) });
    accessToken = (await verifiedUser(api.apiUrl)).accessToken;
  });
  afterAll(async () => {
    for (const h of held) h.socket.destroy();
    disposeRealtime();
    disposeClients();
    await api?.stop();
  });

  /** A connection that stays half-open if the server only ends its side: only a reset closes it. */
  function open(kind: Kind, first?: string): Held {
    const { port } = new URL(api.origin);
    const socket = connect({ host: '127.0.0.1', port: Number(port), allowHalfOpen: true });
    const h: Held = { kind, socket, openedAt: Date.now(), received: '' };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (h.received += chunk));
    socket.on('end', () => (h.endedAt ??= Date.now()));
    socket.on('close', () => (h.closedAt ??= Date.now()));
    socket.on('error', () => undefined);
    if (first) socket.write(first);
    held.push(h);
    return h;
  }

  /** A GET on a new connection: its status and time. */
  const normal = (path: string) =>
    new Promise<{ status: number; ms: number }>((resolve, reject) => {
      const started = Date.now();
      const req = request(
        `${api.apiUrl}${path}`,
        { agent: false, headers: { authorization: `Bearer ${accessToken}` }, timeout: 10_000 },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end();
    });

  it('serves others quickly meanwhile, closes the slow ones after its timeout, and keeps a WebSocket', async () => {
    const rt = realtimeClient((await verifiedUser(api.apiUrl)).client, api.wsUrl);
    let wsClosed = 0;
    rt.on('closed', () => wsClosed++);
    await connected(rt);

    const started = Date.now();
    for (let i = 0; i < IDLE; i++) open('idle');
    const header = 'GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n';
    for (let i = 0; i < SLOW_HEADERS; i++) open('slow headers', header);
    const body = JSON.stringify({ title: 'slow', body: 'x'.repeat(900) });
    for (let i = 0; i < SLOW_BODIES; i++)
      open(
        'slow body',
        'POST /api/v1/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          `Authorization: Bearer ${accessToken}\r\nContent-Length: ${body.length}\r\n\r\n${body[0]}`,
      );

    // A byte a second from every trickling client; once the server has ended its side, from
    // every client, to find out whether the server let go of the connection or only half-closed it.
    let tick = 0;
    const trickle = setInterval(() => {
      tick++;
      for (const h of held) {
        if (h.socket.destroyed || h.closedAt) continue;
        if (h.endedAt || h.kind === 'slow headers') h.socket.write('X');
        else if (h.kind === 'slow body') h.socket.write(body[tick] ?? ' ');
      }
    }, 1_000);

    // Normal requests on new connections, while the slow ones hold theirs.
    const normals: { status: number | string; ms: number }[] = [];
    const deadline = started + TIMEOUT_MS + CHECK_MS + 4_000;
    while (Date.now() < deadline) {
      for (const path of ['/health', '/users/me']) {
        normals.push(
          await normal(path).catch((error: Error) => ({ status: error.message, ms: -1 })),
        );
      }
      await sleep(100);
    }
    clearInterval(trickle);

    const summary = (kind: Kind) => {
      const of = held.filter((h) => h.kind === kind);
      const ends = of.filter((h) => h.endedAt).map((h) => h.endedAt! - h.openedAt);
      const closes = of.filter((h) => h.closedAt).map((h) => h.closedAt! - h.openedAt);
      const statuses = [
        ...new Set(of.map((h) => /^HTTP\/1\.1 (\d+)/.exec(h.received)?.[1] ?? 'none')),
      ];
      return {
        kind,
        count: of.length,
        ended: ends.length,
        closed: closes.length,
        endMs: ends.length ? [Math.min(...ends), Math.max(...ends)] : [],
        closeMs: closes.length ? [Math.min(...closes), Math.max(...closes)] : [],
        statuses,
      };
    };
    const kinds: Kind[] = ['idle', 'slow headers', 'slow body'];
    const ms = normals.map((n) => n.ms).sort((a, b) => a - b);
    report(
      `slow clients (request timeout ${TIMEOUT_MS} ms): ${normals.length} normal requests meanwhile, ` +
        `p50 ${ms[Math.floor(ms.length / 2)]} ms, max ${ms.at(-1)} ms; held connections:\n  ` +
        kinds.map((k) => JSON.stringify(summary(k))).join('\n  '),
    );

    // Everyone else was served, quickly, the whole time.
    expect(normals.filter((n) => n.status !== 200)).toEqual([]);
    expect(normals.filter((n) => n.ms > QUICK_MS)).toEqual([]);
    expect(normals.length).toBeGreaterThanOrEqual(20);

    // Every held connection was closed by the server once its timeout had passed, not before,
    // and fully: the clients that kept writing were reset, not left half-open.
    for (const h of held) {
      const what = `${h.kind} connection: ${JSON.stringify(h.received.slice(0, 80))}`;
      expect(h.endedAt, `${what} never ended by the server`).toBeDefined();
      expect(h.endedAt! - h.openedAt, what).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(h.endedAt! - h.openedAt, what).toBeLessThanOrEqual(TIMEOUT_MS + CHECK_MS + 2_000);
      expect(h.closedAt, `${what} left half-open`).toBeDefined();
      // …and told why, as a problem.
      if (h.kind !== 'idle')
        expect(h.received, what).toMatch(/^HTTP\/1\.1 408 [^]*"code":"request_timeout"/);
    }

    // The WebSocket, idle as long, is still open.
    expect(wsClosed).toBe(0);
    expect(rt.state).toBe('open');
  });
});
