import {
  REALTIME_EVENTS,
  userSchema,
  userTopic,
  WS_CLOSE,
  WS_MAX_PUBLISH_BYTES,
} from '@repo/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from './support/auth-client.js';
import { NO_RATE_LIMITS, send } from './support/auth-extras.js';
import {
  closedWithin,
  eventsOf,
  isOpen,
  newUser,
  nextId,
  roundTrip,
  socketPool,
} from './support/realtime-helpers.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { type WsClient } from './support/ws-client.js';

const errorsOf = (client: WsClient, code?: string) =>
  client.messages.filter((m) => m.type === 'error' && (code === undefined || m.code === code));

describe('realtime topics, publishing and limits', () => {
  let t: TestApp;
  const sockets = socketPool();
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
  });
  afterEach(() => sockets.terminateAll());
  afterAll(() => t.close());

  describe('subscribe authorization', () => {
    it("auto-joins the user's own topic: user.updated arrives after PATCH /users/me, to that user only", async () => {
      const alice = await newUser(t);
      const bob = await newUser(t);
      const aliceSocket = await sockets.authed(t, alice.session.accessToken);
      const bobSocket = await sockets.authed(t, bob.session.accessToken);

      const before = Date.now();
      const res = await send(
        t,
        'PATCH',
        '/users/me',
        { name: 'Alice Renamed' },
        bearer(alice.session.accessToken),
      );
      expect(res.status).toBe(200);

      const event = await aliceSocket.next('event', (m) => m.event === REALTIME_EVENTS.userUpdated);
      expect(event).toMatchObject({ topic: userTopic(alice.userId), event: 'user.updated' });
      expect(userSchema.parse((event.data as { user: unknown }).user)).toMatchObject({
        id: alice.userId,
        name: 'Alice Renamed',
      });
      expect(event.ts).toBeGreaterThanOrEqual(before - 1_000);
      expect(event.ts).toBeLessThanOrEqual(Date.now() + 1_000);

      await roundTrip(bobSocket);
      expect(eventsOf(bobSocket)).toEqual([]);
    });

    it('accepts an explicit subscribe to the own user topic', async () => {
      const alice = await newUser(t);
      const socket = await sockets.authed(t, alice.session.accessToken);
      socket.send({ type: 'subscribe', topics: [userTopic(alice.userId)], id: 'own' });
      expect(await socket.next('ack', (m) => m.id === 'own')).toEqual({ type: 'ack', id: 'own' });
      expect(errorsOf(socket)).toEqual([]);
    });

    it("refuses another user's topic with forbidden_topic and the request id, and joins nothing of the request", async () => {
      const alice = await newUser(t);
      const bob = await newUser(t);
      const socket = await sockets.authed(t, alice.session.accessToken);

      socket.send({ type: 'subscribe', topics: [userTopic(bob.userId)], id: 'f1' });
      expect(await socket.next('error', (m) => m.id === 'f1')).toMatchObject({
        type: 'error',
        code: 'forbidden_topic',
        id: 'f1',
      });
      // A mixed request is refused as a whole: the allowed room is not joined either.
      socket.send({ type: 'subscribe', topics: ['room:mixed', userTopic(bob.userId)], id: 'f2' });
      expect(await socket.next('error', (m) => m.id === 'f2')).toMatchObject({
        code: 'forbidden_topic',
        id: 'f2',
      });
      expect(socket.messages.filter((m) => m.type === 'ack')).toEqual([]);
      expect(isOpen(socket)).toBe(true);

      // Bob's events do not reach Alice, and nor do messages to the room of the refused request.
      const bobSocket = await sockets.authed(t, bob.session.accessToken);
      const res = await send(
        t,
        'PATCH',
        '/users/me',
        { name: 'Bob Renamed' },
        bearer(bob.session.accessToken),
      );
      expect(res.status).toBe(200);
      await bobSocket.next('event', (m) => m.event === REALTIME_EVENTS.userUpdated);
      bobSocket.send({ type: 'subscribe', topics: ['room:mixed'], id: 'b-sub' });
      await bobSocket.next('ack', (m) => m.id === 'b-sub');
      bobSocket.send({ type: 'publish', topic: 'room:mixed', data: 'hello', id: 'b-pub' });
      await bobSocket.next('event', (m) => m.topic === 'room:mixed');
      await roundTrip(socket);
      expect(eventsOf(socket)).toEqual([]);
    });

    it('closes with 4403 on the third forbidden attempt', async () => {
      const alice = await newUser(t);
      const bob = await newUser(t);
      const socket = await sockets.authed(t, alice.session.accessToken);
      for (const id of ['x1', 'x2']) {
        socket.send({ type: 'subscribe', topics: [userTopic(bob.userId)], id });
        expect(await socket.next('error', (m) => m.id === id)).toMatchObject({
          code: 'forbidden_topic',
        });
      }
      await roundTrip(socket);
      socket.send({ type: 'subscribe', topics: [userTopic(bob.userId)], id: 'x3' });
      expect((await closedWithin(socket)).code).toBe(WS_CLOSE.forbidden);
    });

    it('lets anyone subscribe to broadcast, but refuses publishes to it (and to user topics)', async () => {
      const alice = await newUser(t);
      const socket = await sockets.authed(t, alice.session.accessToken);
      socket.send({ type: 'subscribe', topics: ['broadcast'], id: 'b1' });
      expect(await socket.next('ack', (m) => m.id === 'b1')).toEqual({ type: 'ack', id: 'b1' });

      socket.send({ type: 'publish', topic: 'broadcast', data: { hi: 1 }, id: 'b2' });
      expect(await socket.next('error', (m) => m.id === 'b2')).toMatchObject({
        type: 'error',
        code: 'forbidden_topic',
        id: 'b2',
      });
      socket.send({ type: 'publish', topic: userTopic(alice.userId), data: { hi: 1 }, id: 'b3' });
      expect(await socket.next('error', (m) => m.id === 'b3')).toMatchObject({
        code: 'forbidden_topic',
        id: 'b3',
      });
      await roundTrip(socket);
      expect(eventsOf(socket)).toEqual([]);
      expect(
        socket.messages.filter((m) => m.type === 'ack').map((m) => m.type === 'ack' && m.id),
      ).toEqual(['b1']);
      expect(isOpen(socket)).toBe(true);
    });
  });

  describe('rooms', () => {
    it('fans a publish out to every subscriber, acks the publisher, skips the others; unsubscribe stops delivery', async () => {
      const alice = await newUser(t);
      const bob = await newUser(t);
      const carol = await newUser(t);
      const a = await sockets.authed(t, alice.session.accessToken);
      const b = await sockets.authed(t, bob.session.accessToken);
      const c = await sockets.authed(t, carol.session.accessToken);
      for (const [socket, id] of [
        [a, 'sub-a'],
        [b, 'sub-b'],
      ] as const) {
        socket.send({ type: 'subscribe', topics: ['room:lobby'], id });
        await socket.next('ack', (m) => m.id === id);
      }

      const before = Date.now();
      const data = { text: 'hello lobby', n: [1, 2, 3], nested: { ok: true } };
      a.send({ type: 'publish', topic: 'room:lobby', data, id: 'p1' });
      expect(await a.next('ack', (m) => m.id === 'p1')).toEqual({ type: 'ack', id: 'p1' });
      for (const socket of [a, b]) {
        const event = await socket.next('event', (m) => m.topic === 'room:lobby');
        expect(event).toEqual({
          type: 'event',
          topic: 'room:lobby',
          event: 'message',
          data: { from: alice.userId, data },
          ts: expect.any(Number) as number,
        });
        expect(event.ts).toBeGreaterThanOrEqual(before - 1_000);
        expect(event.ts).toBeLessThanOrEqual(Date.now() + 1_000);
      }
      await roundTrip(c);
      expect(eventsOf(c)).toEqual([]);

      // Bob publishes too: Alice gets it, from Bob.
      b.send({ type: 'publish', topic: 'room:lobby', data: 'from bob', id: 'p2' });
      await b.next('ack', (m) => m.id === 'p2');
      expect(
        await a.next('event', (m) => (m.data as { data: unknown }).data === 'from bob'),
      ).toMatchObject({ data: { from: bob.userId, data: 'from bob' } });

      b.send({ type: 'unsubscribe', topics: ['room:lobby'], id: 'unsub-b' });
      expect(await b.next('ack', (m) => m.id === 'unsub-b')).toEqual({
        type: 'ack',
        id: 'unsub-b',
      });
      const bobEventsBefore = eventsOf(b).length;
      a.send({ type: 'publish', topic: 'room:lobby', data: 'after unsubscribe', id: 'p3' });
      await a.next('event', (m) => (m.data as { data: unknown }).data === 'after unsubscribe');
      await roundTrip(b);
      await roundTrip(c);
      expect(eventsOf(b)).toHaveLength(bobEventsBefore);
      expect(eventsOf(c)).toEqual([]);
    });

    it('delivers to a room only its own subscribers (rooms are separate)', async () => {
      const alice = await newUser(t);
      const bob = await newUser(t);
      const a = await sockets.authed(t, alice.session.accessToken);
      const b = await sockets.authed(t, bob.session.accessToken);
      a.send({ type: 'subscribe', topics: ['room:one'], id: 's1' });
      b.send({ type: 'subscribe', topics: ['room:two'], id: 's2' });
      await a.next('ack', (m) => m.id === 's1');
      await b.next('ack', (m) => m.id === 's2');
      b.send({ type: 'publish', topic: 'room:one', data: 1, id: 'p' });
      await b.next('ack', (m) => m.id === 'p');
      expect(await a.next('event')).toMatchObject({
        topic: 'room:one',
        data: { from: bob.userId, data: 1 },
      });
      await roundTrip(b);
      expect(eventsOf(b)).toEqual([]);
    });

    it(`refuses a publish over ${WS_MAX_PUBLISH_BYTES} bytes with payload_too_large, and stays usable`, async () => {
      const alice = await newUser(t);
      const socket = await sockets.authed(t, alice.session.accessToken);
      socket.send({ type: 'subscribe', topics: ['room:big'], id: 'sub' });
      await socket.next('ack', (m) => m.id === 'sub');

      // A JSON string of n characters is n + 2 bytes.
      socket.send({
        type: 'publish',
        topic: 'room:big',
        data: 'x'.repeat(WS_MAX_PUBLISH_BYTES - 1),
        id: 'over',
      });
      expect(await socket.next('error', (m) => m.id === 'over')).toMatchObject({
        type: 'error',
        code: 'payload_too_large',
        id: 'over',
      });
      socket.send({
        type: 'publish',
        topic: 'room:big',
        data: { blob: 'y'.repeat(10_000) },
        id: 'way-over',
      });
      expect(await socket.next('error', (m) => m.id === 'way-over')).toMatchObject({
        code: 'payload_too_large',
      });
      await roundTrip(socket);
      expect(eventsOf(socket)).toEqual([]);

      const atLimit = 'z'.repeat(WS_MAX_PUBLISH_BYTES - 2);
      socket.send({ type: 'publish', topic: 'room:big', data: atLimit, id: 'at-limit' });
      expect(await socket.next('ack', (m) => m.id === 'at-limit')).toEqual({
        type: 'ack',
        id: 'at-limit',
      });
      expect(await socket.next('event')).toMatchObject({
        data: { from: alice.userId, data: atLimit },
      });
      expect(isOpen(socket)).toBe(true);
    });
  });

  describe('frames', () => {
    it('closes with 1009 on a frame over 64 KB', async () => {
      const alice = await newUser(t);
      const socket = await sockets.authed(t, alice.session.accessToken);
      socket.send(JSON.stringify({ type: 'ping', id: 'big', pad: 'p'.repeat(70_000) }));
      expect((await closedWithin(socket)).code).toBe(WS_CLOSE.tooBig);
    });

    it('accepts a frame just under 64 KB (answered with an error, not a close)', async () => {
      const alice = await newUser(t);
      const socket = await sockets.authed(t, alice.session.accessToken);
      socket.send({ type: 'publish', topic: 'room:x', data: 'q'.repeat(60_000), id: 'almost' });
      expect(await socket.next('error', (m) => m.id === 'almost')).toMatchObject({
        code: 'payload_too_large',
      });
      await roundTrip(socket);
    });

    const malformed: [string, string | Buffer][] = [
      ['not JSON', 'hello there'],
      ['truncated JSON', '{"type":"ping"'],
      ['JSON null', 'null'],
      ['a JSON array', '[{"type":"ping"}]'],
      ['a JSON number', '42'],
      ['no type', JSON.stringify({ id: 'x' })],
      ['an unknown type', JSON.stringify({ type: 'dance', id: 'x' })],
      ['a type of the wrong case', JSON.stringify({ type: 'PING' })],
      [
        'subscribe with a string for topics',
        JSON.stringify({ type: 'subscribe', topics: 'room:a' }),
      ],
      ['subscribe with no topics', JSON.stringify({ type: 'subscribe', topics: [] })],
      ['subscribe to an invalid topic', JSON.stringify({ type: 'subscribe', topics: ['Room:A'] })],
      [
        'subscribe to a non-uuid user topic',
        JSON.stringify({ type: 'subscribe', topics: ['user:me'] }),
      ],
      [
        'subscribe to 21 topics',
        JSON.stringify({
          type: 'subscribe',
          topics: Array.from({ length: 21 }, (_, i) => `room:r${i}`),
        }),
      ],
      ['publish without a topic', JSON.stringify({ type: 'publish', data: 1 })],
      ['publish to a bad room name', JSON.stringify({ type: 'publish', topic: 'room:', data: 1 })],
      ['a numeric id', JSON.stringify({ type: 'ping', id: 42 })],
      ['an empty id', JSON.stringify({ type: 'ping', id: '' })],
      ['an id over 64 characters', JSON.stringify({ type: 'ping', id: 'i'.repeat(65) })],
      ['auth without a token', JSON.stringify({ type: 'auth' })],
      ['an extra field on ping', JSON.stringify({ type: 'ping', id: 'x', extra: true })],
      [
        'an extra field on subscribe',
        JSON.stringify({ type: 'subscribe', topics: ['room:a'], as: 'admin' }),
      ],
      [
        'an extra field on publish',
        JSON.stringify({ type: 'publish', topic: 'room:a', data: 1, from: 'someone' }),
      ],
      ['an extra field on auth', JSON.stringify({ type: 'auth', token: 'abc', extra: 1 })],
      [
        'a binary frame (even of valid JSON)',
        Buffer.from(JSON.stringify({ type: 'ping', id: 'bin' })),
      ],
    ];

    it('answers each malformed frame with invalid_message, stays open, and still answers ping with pong', async () => {
      const alice = await newUser(t);
      const socket = await sockets.authed(t, alice.session.accessToken);
      for (const [what, frame] of malformed) {
        const errorsBefore = errorsOf(socket).length;
        if (typeof frame === 'string') socket.send(frame);
        else socket.socket.send(frame, { binary: true });
        const id = nextId('after');
        socket.send({ type: 'ping', id });
        expect(await socket.next('pong', (m) => m.id === id), what).toEqual({ type: 'pong', id });
        const errors = errorsOf(socket).slice(errorsBefore);
        expect(errors, what).toEqual([
          { type: 'error', code: 'invalid_message', message: expect.any(String) as string },
        ]);
        expect(isOpen(socket), what).toBe(true);
      }
      // Nothing a malformed frame said was acted upon.
      expect(socket.messages.filter((m) => !['error', 'pong', 'ready'].includes(m.type))).toEqual(
        [],
      );
      expect(socket.messages.filter((m) => m.type === 'pong' && m.id === 'bin')).toEqual([]);

      socket.send({ type: 'ping' });
      expect(await socket.next('pong', (m) => m.id === undefined)).toEqual({ type: 'pong' });
    });

    it('treats malformed frames the same before authentication (and does not close early)', async () => {
      const socket = await sockets.open(t);
      socket.send('not json');
      socket.send(JSON.stringify({ type: 'subscribe', topics: ['room:a'], extra: 1 }));
      socket.send({ type: 'ping', id: 'pre' });
      expect(await socket.next('pong', (m) => m.id === 'pre')).toEqual({ type: 'pong', id: 'pre' });
      expect(errorsOf(socket, 'invalid_message')).toHaveLength(2);
      expect(isOpen(socket)).toBe(true);
    });
  });
});

describe('realtime limits', () => {
  let t: TestApp;
  const sockets = socketPool();
  beforeAll(async () => {
    t = await startTestApp({
      env: { ...NO_RATE_LIMITS, WS_MESSAGES_PER_10S: '10', WS_MAX_CONNECTIONS_PER_USER: '2' },
    });
  });
  afterEach(() => sockets.terminateAll());
  afterAll(() => t.close());

  it('closes with 4429 on the 11th message within 10 s (WS_MESSAGES_PER_10S=10)', async () => {
    const alice = await newUser(t);
    const socket = await sockets.authed(t, alice.session.accessToken); // message 1
    for (let n = 2; n <= 10; n++) socket.send({ type: 'ping', id: `n${n}` });
    expect(await socket.next('pong', (m) => m.id === 'n10')).toEqual({ type: 'pong', id: 'n10' });
    expect(socket.messages.filter((m) => m.type === 'pong')).toHaveLength(9);
    expect(isOpen(socket)).toBe(true);

    socket.send({ type: 'ping', id: 'n11' });
    expect((await closedWithin(socket)).code).toBe(WS_CLOSE.rateLimited);
    expect(socket.messages.filter((m) => m.type === 'pong' && m.id === 'n11')).toEqual([]);
  });

  it('counts the rate per connection: another socket of the same user is unaffected', async () => {
    const alice = await newUser(t);
    const noisy = await sockets.authed(t, alice.session.accessToken);
    const quiet = await sockets.authed(t, alice.session.accessToken);
    for (let n = 2; n <= 11; n++) noisy.send({ type: 'ping', id: `n${n}` });
    expect((await closedWithin(noisy)).code).toBe(WS_CLOSE.rateLimited);
    await roundTrip(quiet);
    expect(isOpen(quiet)).toBe(true);
  });

  it('closes the third socket of a user with 4429 (WS_MAX_CONNECTIONS_PER_USER=2); the first two keep working', async () => {
    const alice = await newUser(t);
    const bob = await newUser(t);
    const first = await sockets.authed(t, alice.session.accessToken);
    const second = await sockets.authed(t, alice.session.accessToken);

    const third = await sockets.open(t);
    third.send({ type: 'auth', token: alice.session.accessToken });
    expect((await closedWithin(third)).code).toBe(WS_CLOSE.rateLimited);
    expect(third.messages.filter((m) => m.type === 'ready')).toEqual([]);

    // Also when the third authenticates in the upgrade headers.
    const fourth = await sockets.open(t, { headers: bearer(alice.session.accessToken) });
    expect((await closedWithin(fourth)).code).toBe(WS_CLOSE.rateLimited);

    // Another user is not affected.
    await sockets.authed(t, bob.session.accessToken);

    for (const socket of [first, second]) {
      await roundTrip(socket);
      expect(isOpen(socket)).toBe(true);
    }
    const res = await send(
      t,
      'PATCH',
      '/users/me',
      { name: 'Still Here' },
      bearer(alice.session.accessToken),
    );
    expect(res.status).toBe(200);
    for (const socket of [first, second]) {
      expect(
        await socket.next('event', (m) => m.event === REALTIME_EVENTS.userUpdated),
      ).toMatchObject({
        topic: userTopic(alice.userId),
      });
    }
    first.send({ type: 'subscribe', topics: ['room:cap'], id: 'sub' });
    await first.next('ack', (m) => m.id === 'sub');
    second.send({ type: 'publish', topic: 'room:cap', data: 'ok', id: 'pub' });
    await second.next('ack', (m) => m.id === 'pub');
    expect(await first.next('event', (m) => m.topic === 'room:cap')).toMatchObject({
      data: { from: alice.userId, data: 'ok' },
    });
  });

  it('frees a slot when one of the two sockets closes', async () => {
    const alice = await newUser(t);
    const first = await sockets.authed(t, alice.session.accessToken);
    await sockets.authed(t, alice.session.accessToken);
    first.socket.close();
    await closedWithin(first);
    await expect
      .poll(
        async () => {
          const socket = await sockets.open(t);
          socket.send({ type: 'auth', token: alice.session.accessToken });
          const outcome = await Promise.race([
            socket.next('ready', undefined, 2_000).then(() => 'ready'),
            socket.closed.then(({ code }) => `closed ${code}`),
          ]);
          return outcome;
        },
        { timeout: 5_000, interval: 200 },
      )
      .toBe('ready');
  });
});
