import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REALTIME_EVENTS, userTopic, WS_CLOSE } from '@repo/contracts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '@repo/embedded-postgres';
import { freePort } from '@repo/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, login } from './support/auth-client.js';
import { NO_RATE_LIMITS, send } from './support/auth-extras.js';
import {
  closedWithin,
  eventsOf,
  isOpen,
  newUser,
  twoInstances,
  nextId,
  roundTrip,
  socketPool,
  type TestUser,
} from './support/realtime-helpers.js';
import { sessionIdOfToken } from './support/session-checks.js';
import { type TestApp } from './support/test-app.js';
import { type WsClient } from './support/ws-client.js';

const ENV = { ...NO_RATE_LIMITS, WS_MESSAGES_PER_10S: '10000' };

/** Subscribes and waits for the ack. */
async function subscribe(socket: WsClient, topic: string) {
  const id = nextId('sub');
  socket.send({ type: 'subscribe', topics: [topic], id });
  await socket.next('ack', (m) => m.id === id);
}

/** Publishes and resolves with the server's answer to it: the ack, or an error. */
async function publish(socket: WsClient, topic: string, data: unknown) {
  const id = nextId('pub');
  socket.send({ type: 'publish', topic, data, id });
  return Promise.race([
    socket.next('ack', (m) => m.id === id, 10_000),
    socket.next('error', (m) => m.id === id, 10_000),
  ]);
}

/** The room message with this `data`, when it arrives. */
const roomMessage = (socket: WsClient, topic: string, data: unknown, timeoutMs = 5_000) =>
  socket.next(
    'event',
    (m) =>
      m.topic === topic && m.event === 'message' && (m.data as { data?: unknown }).data === data,
    timeoutMs,
  );

/**
 * Publishes a last message from each socket and waits until both sockets have both. Each
 * instance's listener gets notifications in commit order, so a second copy of anything published
 * before would have come first.
 */
async function pastEarlierNotifications(onA: WsClient, onB: WsClient, topic: string) {
  const marks = [nextId('last'), nextId('last')];
  expect(await publish(onA, topic, marks[0])).toMatchObject({ type: 'ack' });
  expect(await publish(onB, topic, marks[1])).toMatchObject({ type: 'ack' });
  for (const socket of [onA, onB]) for (const mark of marks) await roomMessage(socket, topic, mark);
}

const copiesOf = (socket: WsClient, data: unknown) =>
  eventsOf(socket, 'message').filter((m) => (m.data as { data?: unknown }).data === data).length;

/**
 * Publishes probes on `from` until one reaches `to`: then the listener of `to`'s instance is up
 * (what is published while it is down is lost, and the publisher's pool may fail at first).
 */
async function untilDelivered(from: WsClient, to: WsClient, topic: string) {
  await expect
    .poll(
      async () => {
        const marker = nextId('probe');
        const answer = await publish(from, topic, marker);
        if (answer.type !== 'ack') return `answered ${JSON.stringify(answer)}`;
        return roomMessage(to, topic, marker, 1_000).then(
          () => 'delivered',
          () => 'not delivered',
        );
      },
      { timeout: 30_000, interval: 200 },
    )
    .toBe('delivered');
}

// This file stops its database, so it runs its own cluster rather than the run's shared one.
describe('realtime fan-out across two API instances on one database', () => {
  let dir: string;
  let port: number;
  let cluster: EmbeddedDatabase;
  let instances: Awaited<ReturnType<typeof twoInstances>>;
  let a: TestApp;
  let b: TestApp;
  let alice: TestUser;
  const sockets = socketPool();
  const start = () => startEmbeddedPostgres({ dir: join(dir, 'data'), port, database: 'app' });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'api-fanout-pg-'));
    await chmod(dir, 0o755);
    port = await freePort();
    cluster = await start();
    instances = await twoInstances(cluster.url, ENV);
    ({ a, b, alice } = instances);
  });
  afterEach(() => sockets.terminateAll());
  afterAll(async () => {
    sockets.terminateAll();
    await instances?.close();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers user.updated on B after PATCH /users/me on A', async () => {
    const onB = await sockets.authed(b, alice.session.accessToken);
    const res = await send(
      a,
      'PATCH',
      '/users/me',
      { name: 'Alice on A' },
      bearer(alice.session.accessToken),
    );
    expect(res.status).toBe(200);
    expect(await onB.next('event', (m) => m.event === REALTIME_EVENTS.userUpdated)).toMatchObject({
      topic: userTopic(alice.userId),
      data: { user: { id: alice.userId, name: 'Alice on A' } },
    });
  });

  it('carries room messages from A to B and from B to A, once each', async () => {
    const bob = await newUser(a);
    const onA = await sockets.authed(a, alice.session.accessToken);
    const onB = await sockets.authed(b, bob.session.accessToken);
    await subscribe(onA, 'room:fanout');
    await subscribe(onB, 'room:fanout');

    expect(await publish(onA, 'room:fanout', 'from A')).toMatchObject({ type: 'ack' });
    expect(await roomMessage(onB, 'room:fanout', 'from A')).toMatchObject({
      type: 'event',
      topic: 'room:fanout',
      event: 'message',
      data: { from: alice.userId, data: 'from A' },
      ts: expect.any(Number) as number,
    });
    await roomMessage(onA, 'room:fanout', 'from A');

    expect(await publish(onB, 'room:fanout', 'from B')).toMatchObject({ type: 'ack' });
    expect(await roomMessage(onA, 'room:fanout', 'from B')).toMatchObject({
      data: { from: bob.userId, data: 'from B' },
    });
    await roomMessage(onB, 'room:fanout', 'from B');

    // The publishing instance must not deliver its own message a second time when its NOTIFY
    // comes back.
    await pastEarlierNotifications(onA, onB, 'room:fanout');
    for (const socket of [onA, onB]) {
      expect(copiesOf(socket, 'from A')).toBe(1);
      expect(copiesOf(socket, 'from B')).toBe(1);
    }
  });

  it('closes a socket on B with 4401 when its session is ended through A', async () => {
    const second = await login(a, alice.credentials);
    const onB = await sockets.authed(b, second.accessToken);
    const res = await send(
      a,
      'DELETE',
      `/auth/sessions/${sessionIdOfToken(second.accessToken)}`,
      undefined,
      bearer(alice.session.accessToken),
    );
    expect(res.status).toBe(204);
    expect((await closedWithin(onB)).code).toBe(WS_CLOSE.unauthenticated);
  });

  // BUG: the bus delivers to the publishing instance's sockets first, then NOTIFYs; when the
  // NOTIFY fails the publisher is told `invalid_message` "Could not publish; try again" although
  // its own instance's subscribers already got the message (a retry duplicates it there), and
  // `invalid_message` is documented as "not JSON or not a known shape".
  it('during a database outage, answers a room publish consistently: an ack, or an error and delivered to no one', async () => {
    const bob = await newUser(a);
    const publisher = await sockets.authed(a, alice.session.accessToken);
    const localSubscriber = await sockets.authed(a, bob.session.accessToken);
    await subscribe(localSubscriber, 'room:outage');

    await cluster.stop();
    try {
      const answer = await publish(publisher, 'room:outage', 'during the outage');
      await roundTrip(localSubscriber);
      const delivered = copiesOf(localSubscriber, 'during the outage') > 0;
      if (answer.type === 'error') {
        expect(delivered, `answered ${JSON.stringify(answer)}, yet delivered`).toBe(false);
      } else {
        expect(delivered).toBe(true);
      }
    } finally {
      cluster = await start();
    }
  });

  it('keeps fanning out after the database restarts (the listener connection comes back)', async () => {
    const bob = await newUser(a);
    const onA = await sockets.authed(a, alice.session.accessToken);
    const onB = await sockets.authed(b, bob.session.accessToken);
    const aliceOnB = await sockets.authed(b, alice.session.accessToken);
    await subscribe(onA, 'room:restart');
    await subscribe(onB, 'room:restart');
    // Both listeners are up (an earlier test may have restarted the database just now).
    await untilDelivered(onA, onB, 'room:restart');
    await untilDelivered(onB, onA, 'room:restart');

    await cluster.stop();
    cluster = await start();

    // B listens again: what A publishes reaches B (and A listens again too).
    await untilDelivered(onA, onB, 'room:restart');
    await untilDelivered(onB, onA, 'room:restart');

    // The sockets themselves lived through it.
    for (const socket of [onA, onB, aliceOnB]) expect(isOpen(socket)).toBe(true);

    // Afterwards: A to B, B to A, each exactly once; and domain events from HTTP on A.
    expect(await publish(onA, 'room:restart', 'after A')).toMatchObject({ type: 'ack' });
    await roomMessage(onB, 'room:restart', 'after A');
    expect(await publish(onB, 'room:restart', 'after B')).toMatchObject({ type: 'ack' });
    await roomMessage(onA, 'room:restart', 'after B');

    const renamed = await send(
      a,
      'PATCH',
      '/users/me',
      { name: 'After the restart' },
      bearer(alice.session.accessToken),
    );
    expect(renamed.status).toBe(200);
    const isRename = (m: { event: string; data: unknown }) =>
      m.event === REALTIME_EVENTS.userUpdated &&
      (m.data as { user?: { name?: string } }).user?.name === 'After the restart';
    expect(await aliceOnB.next('event', isRename)).toMatchObject({
      topic: userTopic(alice.userId),
    });

    await pastEarlierNotifications(onA, onB, 'room:restart');
    await roundTrip(aliceOnB);
    for (const socket of [onA, onB]) {
      expect(copiesOf(socket, 'after A')).toBe(1);
      expect(copiesOf(socket, 'after B')).toBe(1);
    }
    expect(eventsOf(aliceOnB, REALTIME_EVENTS.userUpdated).filter(isRename)).toHaveLength(1);
  });
});
