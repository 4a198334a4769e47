import { WS_CLOSE } from '@repo/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS } from './support/auth-extras.js';
import {
  closedWithin,
  isOpen,
  newUser,
  roundTrip,
  socketPool,
  type TestUser,
  within,
} from './support/realtime-helpers.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';
import { type WsClient } from './support/ws-client.js';

const HEARTBEAT_MS = 200;

/** Pings the heartbeat sends while these clients wait for them: far more than it takes. */
const PINGS_WAITED = 5;

/** Counts the server's pings (ws answers them itself when autoPong is on). */
function countPings(client: WsClient) {
  const counter = { pings: 0 };
  client.socket.on('ping', () => counter.pings++);
  return counter;
}

/** Resolves at the client's n-th ping from now; rejects if the socket closes first. */
const pings = (client: WsClient, n: number) =>
  within(
    new Promise<void>((resolve, reject) => {
      let seen = 0;
      client.socket.on('ping', () => {
        if (++seen === n) resolve();
      });
      client.socket.once('close', (code) =>
        reject(new Error(`closed (${code}) after ${seen} pings`)),
      );
    }),
    30_000,
    `${n} pings`,
  );

describe(`realtime heartbeat (WS_HEARTBEAT_MS=${HEARTBEAT_MS})`, () => {
  let t: TestApp;
  let user: TestUser;
  const sockets = socketPool();
  beforeAll(async () => {
    t = await startTestApp({ env: { ...NO_RATE_LIMITS, WS_HEARTBEAT_MS: String(HEARTBEAT_MS) } });
    user = await newUser(t);
  });
  afterEach(() => sockets.terminateAll());
  afterAll(() => t.close());

  it('says its ping interval in ready (heartbeatMs)', async () => {
    const socket = await sockets.open(t);
    socket.send({ type: 'auth', token: user.session.accessToken });
    expect(await socket.next('ready')).toMatchObject({ heartbeatMs: HEARTBEAT_MS });
  });

  it(`keeps a client that answers the pings open, ${PINGS_WAITED} pings on`, async () => {
    const socket = await sockets.authed(t, user.session.accessToken);
    await pings(socket, PINGS_WAITED);
    expect(isOpen(socket)).toBe(true);
    await roundTrip(socket);
  });

  it('cuts off an authenticated client at the beat after the one ping it left unanswered (4408 or 1006)', async () => {
    // Pings are counted from the start: on a busy machine the first comes while authenticating.
    const socket = await sockets.open(t, { autoPong: false });
    const counter = countPings(socket);
    socket.send({ type: 'auth', token: user.session.accessToken });
    await socket.next('ready');
    const close = await closedWithin(socket, 30_000);
    expect([WS_CLOSE.heartbeatLost, 1006]).toContain(close.code);
    // One ping, unanswered; the next beat closed it instead of pinging again.
    expect(counter.pings).toBe(1);
  });

  it('also cuts off a client that has not authenticated yet and does not answer', async () => {
    const socket = await sockets.open(t, { autoPong: false });
    const counter = countPings(socket);
    const close = await closedWithin(socket, 30_000);
    // The heartbeat, not the authentication timeout: after its one unanswered ping.
    expect([WS_CLOSE.heartbeatLost, 1006]).toContain(close.code);
    expect(counter.pings).toBe(1);
  });

  it('keeps a client that answers late-ish (within one interval) open', async () => {
    const socket = await sockets.authed(t, user.session.accessToken, { autoPong: false });
    // Answers each ping after a quarter of the interval.
    socket.socket.on('ping', (data) => {
      setTimeout(() => {
        if (isOpen(socket)) socket.socket.pong(data);
      }, HEARTBEAT_MS / 4);
    });
    await pings(socket, PINGS_WAITED);
    expect(isOpen(socket)).toBe(true);
    await roundTrip(socket);
  });
});

describe('realtime graceful shutdown', () => {
  it('closes every open socket with 1001 when the app closes', async () => {
    const database = await createTestDatabase();
    const t = await startTestApp({ env: NO_RATE_LIMITS, databaseUrl: database.url });
    const sockets = socketPool();
    try {
      const user = await newUser(t);
      const authed = await sockets.authed(t, user.session.accessToken);
      authed.send({ type: 'subscribe', topics: ['room:shutdown'], id: 's' });
      await authed.next('ack', (m) => m.id === 's');
      const unauthenticated = await sockets.open(t);
      await roundTrip(unauthenticated);

      await within(t.app.close(), 10_000, 'app.close()');

      const [a, b] = await Promise.all([
        closedWithin(authed, 5_000),
        closedWithin(unauthenticated, 5_000),
      ]);
      expect(a.code).toBe(WS_CLOSE.goingAway);
      expect(b.code).toBe(WS_CLOSE.goingAway);
    } finally {
      sockets.terminateAll();
      await database.drop();
    }
  });
});
