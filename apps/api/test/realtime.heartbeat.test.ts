import { WS_CLOSE } from '@repo/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS } from './support/auth-extras.js';
import {
  closedWithin,
  isOpen,
  newUser,
  roundTrip,
  sleep,
  socketPool,
  type TestUser,
  within,
} from './support/realtime-helpers.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';
import { type WsClient } from './support/ws-client.js';

const HEARTBEAT_MS = 200;

/** Counts the server's pings (ws answers them itself when autoPong is on). */
function countPings(client: WsClient) {
  const counter = { pings: 0 };
  client.socket.on('ping', () => counter.pings++);
  return counter;
}

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

  it('keeps a client that answers the pings open for well over a second', async () => {
    const socket = await sockets.authed(t, user.session.accessToken);
    const counter = countPings(socket);
    await sleep(1_500);
    expect(isOpen(socket)).toBe(true);
    await roundTrip(socket);
    expect(isOpen(socket)).toBe(true);
    // It was pinged all along (about 7 times): the heartbeat is on.
    expect(counter.pings).toBeGreaterThanOrEqual(3);
  });

  it('cuts off an authenticated client that does not answer the pings within about a second (4408 or 1006)', async () => {
    // Pings are counted from the start: on a busy machine the first comes while authenticating.
    const socket = await sockets.open(t, { autoPong: false });
    const counter = countPings(socket);
    const start = Date.now();
    socket.send({ type: 'auth', token: user.session.accessToken });
    await socket.next('ready');
    const close = await closedWithin(socket, 3_000);
    expect([WS_CLOSE.heartbeatLost, 1006]).toContain(close.code);
    expect(Date.now() - start).toBeLessThan(3_000);
    expect(counter.pings).toBeGreaterThanOrEqual(1);
  });

  it('also cuts off a client that has not authenticated yet and does not answer', async () => {
    const socket = await sockets.open(t, { autoPong: false });
    const close = await closedWithin(socket, 3_000);
    // Not the auth timeout (5 s by default): the heartbeat.
    expect([WS_CLOSE.heartbeatLost, 1006]).toContain(close.code);
  });

  it('keeps a client that answers late-ish (within one interval) open', async () => {
    const socket = await sockets.authed(t, user.session.accessToken, { autoPong: false });
    // Answers each ping after a quarter of the interval.
    socket.socket.on('ping', (data) => {
      setTimeout(() => {
        if (isOpen(socket)) socket.socket.pong(data);
      }, HEARTBEAT_MS / 4);
    });
    await sleep(1_500);
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
