import {
  type LoggedOut,
  type RealtimeClient,
  type RealtimeEvents,
  type RealtimeState,
  realtimeUrl,
  type ServerEvent,
} from '@repo/client';
import { REALTIME_EVENTS, WS_CLOSE } from '@repo/contracts';
import {
  connected,
  disposeClients,
  disposeRealtime,
  nativeClient,
  nextEvent,
  realtimeClient,
} from '@repo/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeHub } from '../../src/realtime/realtime.hub.js';
import { NO_RATE_LIMITS } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { holdShortLivedToken, loggedIn, past, served, sleep, tcpProxy } from './helpers.js';

/** Events of one topic, as the handler saw them. */
function collect(client: RealtimeClient, topic: string) {
  const events: ServerEvent[] = [];
  const off = client.subscribe(topic, (e) => events.push(e));
  return { events, off };
}

/**
 * Resolves once the server has the client's subscription to a room: a publish on the same
 * connection is handled after the subscribe frame, and its ack comes after that.
 */
const subscribed = (client: RealtimeClient, room: string) => client.publish(room, { probe: true });
const withoutProbes = (events: ServerEvent[]) =>
  events.filter((e) => !(e.data as { data?: { probe?: boolean } }).data?.probe);

describe('RealtimeClient against the real API', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
    url = realtimeUrl(t.api);
  });
  afterEach(() => {
    disposeRealtime();
    disposeClients();
  });
  afterAll(() => t?.close());

  it('connects, authenticates, and receives user.updated for a change made through the ApiClient', async () => {
    const { client, user } = await loggedIn(t);
    const rt = realtimeClient(client, url);
    const states: RealtimeState[] = [];
    rt.on('state', ({ state }) => states.push(state));
    const ready = await connected(rt);
    expect(ready.userId).toBe(user.id);
    expect(rt.state).toBe('open');
    expect(states).toEqual(['connecting', 'authenticating', 'open']);

    const changed: ServerEvent[] = [];
    rt.onUserEvent((e) => changed.push(e));
    await client.users.updateMe({ body: { name: 'hello' } });
    await expect.poll(() => changed.map((e) => e.event)).toEqual([REALTIME_EVENTS.userUpdated]);
    expect(changed[0]).toMatchObject({
      topic: `user:${user.id}`,
      data: { user: { id: user.id, name: 'hello' } },
    });
  });

  it('works with Node’s global WebSocket too (the default constructor)', async () => {
    const { client, user } = await loggedIn(t);
    const rt = realtimeClient(client, url, { WebSocket: undefined });
    expect((await connected(rt)).userId).toBe(user.id);
  });

  it('publishes to a room (acked) and another user’s subscription receives it', async () => {
    const alice = await loggedIn(t);
    const bob = await loggedIn(t);
    const a = realtimeClient(alice.client, url);
    const b = realtimeClient(bob.client, url);
    const lobby = collect(b, 'room:client-lobby');
    await Promise.all([connected(a), connected(b)]);
    await subscribed(b, 'room:client-lobby');
    await a.publish('room:client-lobby', { text: 'hi' });
    await expect.poll(() => withoutProbes(lobby.events).length).toBe(1);
    expect(withoutProbes(lobby.events)[0]).toMatchObject({
      event: 'message',
      data: { from: alice.user.id, data: { text: 'hi' } },
    });
  });

  it('reconnects and resubscribes after the server drops every socket (1001)', async () => {
    const alice = await loggedIn(t);
    const bob = await loggedIn(t);
    const rt = realtimeClient(alice.client, url);
    const room = collect(rt, 'room:client-drop');
    const first = await connected(rt);
    const sender = realtimeClient(bob.client, url);
    await connected(sender);

    const closed = nextEvent(rt, 'closed');
    const reopened = nextEvent(rt, 'ready', (r) => r.connectionId !== first.connectionId);
    t.app.get(RealtimeHub).closeAll();
    expect(await closed).toMatchObject({ code: WS_CLOSE.goingAway, willReconnect: true });
    await reopened;
    await expect.poll(() => [rt.state, sender.state]).toEqual(['open', 'open']);

    // The room subscription was renewed on the new connection.
    await subscribed(rt, 'room:client-drop');
    await sender.publish('room:client-drop', { n: 1 });
    await expect
      .poll(() => withoutProbes(room.events).map((e) => e.data))
      .toEqual([{ from: bob.user.id, data: { n: 1 } }]);
  });

  it('reconnects after the network cuts the connection (no close frame) and resubscribes', async () => {
    const proxy = await tcpProxy(Number(new URL(t.origin).port));
    try {
      const alice = await loggedIn(t);
      const rt = realtimeClient(alice.client, `ws://127.0.0.1:${proxy.port}/ws`);
      const changes: ServerEvent[] = [];
      rt.onUserEvent((e) => changes.push(e));
      const first = await connected(rt);

      const closed = nextEvent(rt, 'closed');
      const reopened = nextEvent(rt, 'ready', (r) => r.connectionId !== first.connectionId);
      proxy.cut();
      expect((await closed).code).toBe(1006);
      await reopened;
      await alice.client.users.updateMe({ body: { name: 'after the cut' } });
      await expect.poll(() => changes.length).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it('notices a silent connection by its heartbeat (no pong) and reconnects', async () => {
    const proxy = await tcpProxy(Number(new URL(t.origin).port));
    try {
      const alice = await loggedIn(t);
      const rt = realtimeClient(alice.client, `ws://127.0.0.1:${proxy.port}/ws`, {
        heartbeat: { intervalMs: 200, timeoutMs: 300 },
      });
      const first = await connected(rt);
      // Three pings, each answered within its 300 ms (or the connection would be closed).
      const sent = proxy.chunksUp;
      await expect.poll(() => proxy.chunksUp - sent).toBeGreaterThanOrEqual(3);
      expect(rt.state).toBe('open');
      expect(rt.connectionId).toBe(first.connectionId);

      const closed = nextEvent(rt, 'closed');
      proxy.silence(true); // packets vanish; no FIN, no RST
      const lost = await closed;
      expect(lost).toMatchObject({ code: WS_CLOSE.heartbeatLost, willReconnect: true });
      expect(lost.reason).toMatch(/pong/);
      proxy.cut();
      proxy.silence(false);
      const again = await nextEvent(rt, 'ready');
      expect(again.connectionId).not.toBe(first.connectionId);
    } finally {
      await proxy.close();
    }
  });

  it('re-authenticates after each token refresh, so the socket outlives its first token', async () => {
    const { client } = await loggedIn(t); // proactive refresh: before each expiry
    const rt = realtimeClient(client, url);
    const readies: RealtimeEvents['ready'][] = [];
    const closes: RealtimeEvents['closed'][] = [];
    rt.on('ready', (r) => readies.push(r));
    rt.on('closed', (c) => closes.push(c));
    const first = await connected(rt);

    const expiresAt = holdShortLivedToken(t, client);
    // `ready` again for each new token: the short-lived one, then the one refreshed before its expiry.
    await expect.poll(() => readies.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await past(expiresAt + 300); // nothing happens at the short-lived token's expiry
    expect(closes).toEqual([]);
    expect(rt.state).toBe('open');
    expect(new Set(readies.map((r) => r.connectionId))).toEqual(new Set([first.connectionId]));

    const changes: ServerEvent[] = [];
    rt.onUserEvent((e) => changes.push(e));
    await client.users.updateMe({ body: { name: 'still here' } });
    await expect.poll(() => changes.length).toBe(1);
  });

  it('a 4401 (token expired) leads to a refresh, then a reconnect with the new token', async () => {
    const { client } = await loggedIn(t, { proactiveRefresh: false });
    const rt = realtimeClient(client, url);
    const first = await connected(rt);
    const expiresAt = holdShortLivedToken(t, client);
    const oldToken = client.accessToken;
    const refreshes = served(t, 'POST', '/auth/refresh');

    const closed = await nextEvent(rt, 'closed', () => true, expiresAt - Date.now() + 5_000);
    expect(closed).toMatchObject({ code: WS_CLOSE.unauthenticated, willReconnect: true });
    const again = await nextEvent(rt, 'ready');
    expect(again.connectionId).not.toBe(first.connectionId);
    expect(client.accessToken).not.toBe(oldToken);
    expect(served(t, 'POST', '/auth/refresh') - refreshes).toBe(1);
    expect(rt.state).toBe('open');
  });

  it('a 4401 for an ended session: the refresh fails, the ApiClient logs out, the socket waits idle', async () => {
    const { client, credentials } = await loggedIn(t);
    const loggedOut: LoggedOut[] = [];
    client.on('loggedOut', (e) => loggedOut.push(e));
    const rt = realtimeClient(client, url);
    await connected(rt);

    const other = nativeClient(t.api);
    await other.auth.login({ body: { email: credentials.email, password: credentials.password } });
    await other.auth.logoutAll(); // ends every session, this one too

    await expect.poll(() => rt.state).toBe('idle');
    expect(loggedOut).toMatchObject([{ reason: 'refresh_failed' }]);
    await sleep(500);
    expect(rt.state).toBe('idle'); // no reconnect loop without a session
  });

  it('does not reconnect after 4403 (forbidden topic abuse)', async () => {
    const alice = await loggedIn(t);
    const bob = await loggedIn(t);
    const rt = realtimeClient(alice.client, url);
    await connected(rt);
    const errors: RealtimeEvents['serverError'][] = [];
    rt.on('serverError', (e) => errors.push(e));
    const closed = nextEvent(rt, 'closed');
    for (let i = 0; i < 3; i++) {
      rt.subscribe(`user:${bob.user.id}`, () => undefined);
      if (i < 2) await expect.poll(() => errors.length).toBe(i + 1);
    }
    expect(errors[0]).toMatchObject({ code: 'forbidden_topic', topics: [`user:${bob.user.id}`] });
    expect(await closed).toMatchObject({ code: WS_CLOSE.forbidden, willReconnect: false });
    await sleep(500);
    expect(rt.state).toBe('closed');
  });
});
