import { type ServerMessage, WS_CLOSE } from '@repo/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api-client.js';
import { backoffCap } from '../transport/backoff.js';
import { RealtimeClient } from './realtime-client.js';
import {
  type RealtimeClientOptions,
  type RealtimeEvents,
  type RealtimeState,
  type ServerEvent,
} from './realtime-types.js';
import { realtimeUrl } from './realtime-url.js';
import { BASE, fakeApi, USER } from '../test-support/fake-api.js';
import { FakeSocket } from '../test-support/fake-socket.js';

const URL_ = 'ws://api.test/ws';
const ready: ServerMessage = {
  type: 'ready',
  connectionId: 'conn-1',
  userId: USER.id,
  heartbeatMs: 25_000,
};
const event = (topic: string, data: unknown = {}, name = 'message'): ServerEvent => ({
  type: 'event',
  topic,
  event: name,
  data,
  ts: 1,
});
/** Lets pending promises (token lookups, refreshes) settle. */
const settle = () => vi.advanceTimersByTimeAsync(0);

let api: ReturnType<typeof fakeApi>;
let http: ApiClient;
const clients: RealtimeClient[] = [];

beforeEach(async () => {
  FakeSocket.reset();
  api = fakeApi({ refreshDelayMs: 0 });
  http = new ApiClient({
    baseUrl: BASE,
    mode: 'native',
    adapter: api.adapter,
    diagnose: false,
    proactiveRefresh: false,
  });
  await http.auth.login({ body: { email: USER.email, password: 'x' } });
  vi.useFakeTimers();
});

afterEach(() => {
  for (const c of clients.splice(0)) c.dispose();
  http.dispose();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function realtime(options: Partial<RealtimeClientOptions> = {}) {
  const client = new RealtimeClient({
    url: URL_,
    api: http,
    WebSocket: FakeSocket,
    random: () => 0.5,
    ...options,
  });
  clients.push(client);
  return client;
}

/** Connects and plays the server up to `ready`. */
async function open(client: RealtimeClient) {
  if (client.state !== 'reconnecting') client.connect();
  const socket = FakeSocket.last;
  socket.accept();
  await settle();
  expect(socket.of('auth').at(-1)).toEqual({ type: 'auth', token: http.accessToken });
  socket.reply(ready);
  expect(client.state).toBe('open');
  return socket;
}

describe('RealtimeClient', () => {
  it('connects, authenticates with the ApiClient’s token, and reports each state', async () => {
    const rt = realtime();
    const states: RealtimeState[] = [];
    const readies: RealtimeEvents['ready'][] = [];
    rt.on('state', ({ state }) => states.push(state));
    rt.on('ready', (r) => readies.push(r));
    expect(rt.state).toBe('idle');
    const socket = await open(rt);
    expect(socket.url).toBe(URL_);
    expect(socket.sent[0]).toEqual({ type: 'auth', token: 'at-1' });
    expect(states).toEqual(['connecting', 'authenticating', 'open']);
    expect(readies).toEqual([{ connectionId: 'conn-1', userId: USER.id }]);
    expect(rt.userId).toBe(USER.id);
  });

  it('derives the WebSocket URL from the API base URL', () => {
    expect(realtimeUrl('http://localhost:4000/api/v1')).toBe('ws://localhost:4000/ws');
    expect(realtimeUrl('https://api.example.com/api/v1/')).toBe('wss://api.example.com/ws');
  });

  it('subscribes (first handler), delivers events, and unsubscribes (last handler)', async () => {
    const rt = realtime();
    const early = vi.fn();
    rt.subscribe('room:lobby', early); // before connecting: sent once ready
    const socket = await open(rt);
    expect(socket.of('subscribe')).toMatchObject([{ topics: ['room:lobby'] }]);

    const second = vi.fn();
    const offSecond = rt.subscribe('room:lobby', second);
    const offEarly = (() => {
      const h = vi.fn();
      return rt.subscribe('broadcast', h);
    })();
    expect(socket.of('subscribe')).toHaveLength(2); // lobby was already subscribed

    socket.reply(event('room:lobby', { text: 'hi' }));
    socket.reply(event('room:other'));
    expect(early).toHaveBeenCalledWith(
      expect.objectContaining({ topic: 'room:lobby', data: { text: 'hi' } }),
    );
    expect(second).toHaveBeenCalledOnce();

    offSecond();
    expect(socket.of('unsubscribe')).toHaveLength(0); // `early` still listens
    offEarly();
    expect(socket.of('unsubscribe')).toEqual([{ type: 'unsubscribe', topics: ['broadcast'] }]);
  });

  it('hands the user’s own events to onUserEvent', async () => {
    const rt = realtime();
    const handler = vi.fn();
    rt.onUserEvent(handler);
    const socket = await open(rt);
    socket.reply(event(`user:${USER.id}`, { action: 'created', id: USER.id }, 'items.changed'));
    socket.reply(event('user:00000000-0000-4000-8000-000000000000'));
    expect(handler).toHaveBeenCalledOnce();
    expect(handler.mock.calls[0]![0]).toMatchObject({ event: 'items.changed' });
  });

  it('refuses what is not a topic, and publishes anywhere but a room', () => {
    const rt = realtime();
    expect(() => rt.subscribe('lobby', () => undefined)).toThrow(TypeError);
    expect(() => rt.subscribe('room:Not Valid', () => undefined)).toThrow(TypeError);
    expect(() => rt.publish('broadcast', {})).toThrow(TypeError);
    expect(() => rt.publish(`user:${USER.id}`, {})).toThrow(TypeError);
    expect(rt.queued).toBe(0);
  });

  it('forgets a subscription the server refuses, so reconnecting does not repeat it', async () => {
    const rt = realtime();
    const errors: RealtimeEvents['serverError'][] = [];
    rt.on('serverError', (e) => errors.push(e));
    const socket = await open(rt);
    rt.subscribe('user:00000000-0000-4000-8000-000000000000', () => undefined);
    const id = socket.of('subscribe')[0]!.id!;
    socket.reply({ type: 'error', code: 'forbidden_topic', message: 'Not your topic', id });
    expect(errors).toEqual([
      {
        code: 'forbidden_topic',
        message: 'Not your topic',
        id,
        topics: ['user:00000000-0000-4000-8000-000000000000'],
      },
    ]);
    expect(rt.subscribedTopics).toEqual([]);
  });

  it('reconnects with backoff after a drop, and resubscribes every topic (20 per frame)', async () => {
    const rt = realtime({ reconnect: { baseDelayMs: 1_000, maxDelayMs: 30_000 } });
    const topics = Array.from({ length: 25 }, (_, i) => `room:r${i}`);
    for (const topic of topics) rt.subscribe(topic, () => undefined);
    const closed: RealtimeEvents['closed'][] = [];
    rt.on('closed', (e) => closed.push(e));
    const first = await open(rt);
    expect(first.of('subscribe').flatMap((m) => m.topics)).toEqual(topics);

    first.drop(1006);
    expect(rt.state).toBe('reconnecting');
    // random 0.5 → 3/4 of the cap of attempt 0.
    expect(closed).toEqual([{ code: 1006, reason: '', willReconnect: true, delayMs: 750 }]);
    await vi.advanceTimersByTimeAsync(749);
    expect(FakeSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.instances).toHaveLength(2);

    const second = await open(rt);
    const frames = second.of('subscribe');
    expect(frames.map((m) => m.topics.length)).toEqual([20, 5]);
    expect(frames.flatMap((m) => m.topics)).toEqual(topics);
  });

  it('backs off more after each failed attempt, up to the cap, and starts over once ready', async () => {
    const rt = realtime({
      reconnect: { baseDelayMs: 100, maxDelayMs: 1_000 },
      random: () => 0.999,
    });
    const delays: number[] = [];
    rt.on('closed', (e) => delays.push(e.delayMs!));
    rt.connect();
    for (let i = 0; i < 7; i++) {
      FakeSocket.last.drop(1006); // the server is down: each attempt fails
      await vi.advanceTimersByTimeAsync(delays.at(-1)!);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
    for (const [attempt, delay] of delays.entries())
      expect(delay).toBeLessThanOrEqual(backoffCap(attempt, { baseMs: 100, maxMs: 1_000 }));

    await open(rt);
    FakeSocket.last.drop(1001);
    expect(delays.at(-1)).toBe(100);
  });

  it('keeps publishes while disconnected in a bounded queue, dropping the oldest', async () => {
    const rt = realtime({ maxQueue: 3 });
    const dropped: RealtimeEvents['dropped'][] = [];
    rt.on('dropped', (e) => dropped.push(e));
    const results = Array.from({ length: 5 }, (_, i) =>
      rt.publish('room:lobby', { n: i }).then(
        () => `ok ${i}`,
        (e: Error & { code: string }) => `${e.code} ${i}`,
      ),
    );
    expect(rt.queued).toBe(3);
    expect(rt.droppedCount).toBe(2);
    expect(dropped.map((d) => [d.message.data, d.dropped])).toEqual([
      [{ n: 0 }, 1],
      [{ n: 1 }, 2],
    ]);

    const socket = await open(rt);
    const published = socket.of('publish');
    expect(published.map((m) => m.data)).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
    expect(rt.queued).toBe(0);
    for (const m of published) socket.reply({ type: 'ack', id: m.id! });
    expect(await Promise.all(results)).toEqual(['dropped 0', 'dropped 1', 'ok 2', 'ok 3', 'ok 4']);
  });

  it('publishes at once when open; an error frame rejects that publish', async () => {
    const rt = realtime();
    const socket = await open(rt);
    const sent = rt.publish('room:lobby', 'x'.repeat(10));
    const frame = socket.of('publish')[0]!;
    socket.reply({ type: 'error', code: 'payload_too_large', message: 'too big', id: frame.id! });
    await expect(sent).rejects.toMatchObject({ code: 'payload_too_large' });
  });

  it('pings, and reconnects when no pong comes', async () => {
    const rt = realtime({ heartbeat: { intervalMs: 1_000, timeoutMs: 500 } });
    const socket = await open(rt);
    await vi.advanceTimersByTimeAsync(1_000);
    const ping = socket.of('ping')[0]!;
    expect(ping).toMatchObject({ type: 'ping' });
    socket.reply({ type: 'pong', id: ping.id! });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(socket.of('ping')).toHaveLength(2);
    expect(rt.state).toBe('open');

    // The network goes silent: no pong, no close.
    await vi.advanceTimersByTimeAsync(500);
    expect(rt.state).toBe('reconnecting');
    expect(socket.terminated).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(FakeSocket.instances).toHaveLength(2);
    // Events of the dead socket no longer count.
    socket.reply(ready);
    expect(rt.state).toBe('connecting');
  });

  it('reconnects when no ready comes after auth', async () => {
    const rt = realtime({ readyTimeoutMs: 2_000 });
    rt.connect();
    FakeSocket.last.accept();
    await settle();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(rt.state).toBe('reconnecting');
  });

  it('re-authenticates on the open socket after each token refresh', async () => {
    const rt = realtime();
    const socket = await open(rt);
    const refreshed = http.refreshSession();
    await settle();
    await refreshed;
    expect(socket.of('auth').map((m) => m.token)).toEqual(['at-1', 'at-2']);
    socket.reply(ready);
    expect(rt.state).toBe('open');
  });

  it('after a 4401 close: refreshes the token, then reconnects with the new one', async () => {
    const rt = realtime();
    const socket = await open(rt);
    socket.drop(WS_CLOSE.unauthenticated, 'Token expired');
    expect(rt.state).toBe('reconnecting');
    await settle();
    expect(api.count('POST /auth/refresh')).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    const next = FakeSocket.last;
    expect(next).not.toBe(socket);
    next.accept();
    await settle();
    expect(next.of('auth')).toEqual([{ type: 'auth', token: 'at-2' }]);
  });

  it('after a 4401 whose refresh fails (session over): waits for a login instead of retrying', async () => {
    const rt = realtime();
    const socket = await open(rt);
    api.state.refreshFails = 'token_invalid';
    socket.drop(WS_CLOSE.unauthenticated, 'Session ended');
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(rt.state).toBe('idle');
    expect(FakeSocket.instances).toHaveLength(1);

    await http.auth.login({ body: { email: USER.email, password: 'x' } });
    expect(FakeSocket.instances).toHaveLength(2);
    await open(rt);
  });

  it('does not reconnect after 4403', async () => {
    const rt = realtime();
    const closed: RealtimeEvents['closed'][] = [];
    rt.on('closed', (e) => closed.push(e));
    const socket = await open(rt);
    socket.drop(WS_CLOSE.forbidden, 'Too many forbidden attempts');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(rt.state).toBe('closed');
    expect(FakeSocket.instances).toHaveLength(1);
    expect(closed).toEqual([
      { code: 4403, reason: 'Too many forbidden attempts', willReconnect: false },
    ]);
  });

  it('waits at least 5 s after 4429 (rate limited)', async () => {
    const rt = realtime();
    const socket = await open(rt);
    const closed: RealtimeEvents['closed'][] = [];
    rt.on('closed', (e) => closed.push(e));
    socket.drop(WS_CLOSE.rateLimited);
    expect(closed[0]!.delayMs).toBeGreaterThanOrEqual(5_000);
  });

  it('drops the socket on logout and reconnects on the next login', async () => {
    const rt = realtime();
    const socket = await open(rt);
    await http.auth.logout();
    expect(rt.state).toBe('idle');
    expect(socket.closedWith?.code).toBe(1000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
    await http.auth.login({ body: { email: USER.email, password: 'x' } });
    await open(rt);
  });

  it('started without a session: goes idle rather than hammering the server', async () => {
    http.clearSession();
    const rt = realtime();
    rt.connect();
    FakeSocket.last.accept();
    await settle();
    expect(rt.state).toBe('idle');
    expect(FakeSocket.last.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('a session whose token cannot be had for now (API down) is retried, not abandoned', async () => {
    const browser = new ApiClient({
      baseUrl: BASE,
      mode: 'browser',
      crossTab: false,
      adapter: api.adapter,
      diagnose: false,
      retry: false,
    });
    api.routes.set('POST /auth/refresh', () => ({ status: 503 }));
    const rt = realtime({ api: browser });
    rt.connect();
    FakeSocket.last.accept();
    await settle();
    expect(rt.state).toBe('reconnecting');
    api.routes.set('POST /auth/refresh', () => ({ status: 200, data: api.issue() }));
    await vi.advanceTimersByTimeAsync(1_000);
    FakeSocket.last.accept();
    await settle();
    expect(FakeSocket.last.of('auth')).toHaveLength(1);
    browser.dispose();
  });

  it('close() stops for good; connect() starts again', async () => {
    const rt = realtime();
    const socket = await open(rt);
    rt.close();
    expect(rt.state).toBe('closed');
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'Client closed' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
    rt.connect();
    await open(rt);
  });

  it('works with a token getter instead of an ApiClient', async () => {
    const refresh = vi.fn(() => Promise.resolve());
    let token = 'tok-1';
    const rt = realtime({ api: undefined, getToken: () => token, refresh });
    rt.connect();
    FakeSocket.last.accept();
    await settle();
    expect(FakeSocket.last.sent).toEqual([{ type: 'auth', token: 'tok-1' }]);
    token = 'tok-2';
    FakeSocket.last.drop(WS_CLOSE.unauthenticated);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refresh).toHaveBeenCalledOnce();
    FakeSocket.last.accept();
    await settle();
    expect(FakeSocket.last.sent).toEqual([{ type: 'auth', token: 'tok-2' }]);
  });

  it('says what to do when the runtime has no WebSocket', () => {
    vi.stubGlobal('WebSocket', undefined);
    expect(() => new RealtimeClient({ url: URL_ })).toThrow(/"ws" package/);
    vi.unstubAllGlobals();
  });
});
