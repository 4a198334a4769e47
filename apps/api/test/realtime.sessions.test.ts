import { REALTIME_EVENTS, WS_CLOSE } from '@repo/contracts';
import { type Credentials } from '@repo/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, lastEmail, login, post, type Session, tokenOf } from './support/auth-client.js';
import { NO_RATE_LIMITS, send } from './support/auth-extras.js';
import {
  closedWithin,
  eventsOf,
  isOpen,
  newUser,
  roundTrip,
  sleep,
  socketPool,
} from './support/realtime-helpers.js';
import { rawConnect, textMessages } from './support/raw-ws.js';
import { accessTokenExpiringAt, sessionIdOfToken } from './support/session-checks.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { type WsClient } from './support/ws-client.js';

/** The socket got `session.revoked` for this session, and is still open. */
async function toldAndOpen(socket: WsClient, sessionId: string) {
  expect(
    await socket.next(
      'event',
      (m) =>
        m.event === REALTIME_EVENTS.sessionRevoked &&
        (m.data as { sessionId?: string }).sessionId === sessionId,
    ),
  ).toMatchObject({ data: { sessionId } });
  await roundTrip(socket);
  expect(isOpen(socket)).toBe(true);
}

describe('realtime sockets follow their session', () => {
  let t: TestApp;
  const sockets = socketPool();
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
  });
  afterEach(() => sockets.terminateAll());
  afterAll(() => t.close());

  /** A user logged in twice (two sessions), with a socket on each. */
  async function twoSessions() {
    const user = await newUser(t);
    const other = await login(t, user.credentials);
    const first = user.session;
    const firstSocket = await sockets.authed(t, first.accessToken);
    const otherSocket = await sockets.authed(t, other.accessToken);
    return {
      user,
      first,
      other,
      firstSocket,
      otherSocket,
      firstId: sessionIdOfToken(first.accessToken),
    };
  }

  it('closes the sockets of a session with 4401 on POST /auth/logout (cookie); the other session stays', async () => {
    const { first, firstSocket, otherSocket, firstId } = await twoSessions();
    // Also a socket of the same session that authenticated in the upgrade headers.
    const headerSocket = await sockets.open(t, { headers: bearer(first.accessToken) });
    await headerSocket.next('ready');

    const res = await post(t, '/auth/logout', {}, { cookie: first.cookie });
    expect(res.status).toBe(204);

    expect((await closedWithin(firstSocket)).code).toBe(WS_CLOSE.unauthenticated);
    expect((await closedWithin(headerSocket)).code).toBe(WS_CLOSE.unauthenticated);
    await toldAndOpen(otherSocket, firstId);

    // The ended session's token cannot open a socket again.
    const again = await sockets.open(t);
    again.send({ type: 'auth', token: first.accessToken });
    expect((await closedWithin(again)).code).toBe(WS_CLOSE.unauthenticated);
  });

  it('closes the sockets of a session with 4401 on DELETE /auth/sessions/:id from another session', async () => {
    const { firstSocket, otherSocket, other, firstId } = await twoSessions();
    const res = await send(
      t,
      'DELETE',
      `/auth/sessions/${firstId}`,
      undefined,
      bearer(other.accessToken),
    );
    expect(res.status).toBe(204);
    expect((await closedWithin(firstSocket)).code).toBe(WS_CLOSE.unauthenticated);
    await toldAndOpen(otherSocket, firstId);
  });

  it('closes every socket of the user with 4401 on logout-all; API-key sockets and other users stay', async () => {
    const { user, first, firstSocket, otherSocket } = await twoSessions();
    const created = await post(
      t,
      '/api-keys',
      { name: 'ws', scopes: ['read'] },
      bearer(first.accessToken),
    );
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    const keySocket = await sockets.open(t, { headers: { 'x-api-key': secret } });
    expect(await keySocket.next('ready')).toMatchObject({ userId: user.userId });
    const stranger = await newUser(t);
    const strangerSocket = await sockets.authed(t, stranger.session.accessToken);

    const res = await post(t, '/auth/logout-all', {}, bearer(first.accessToken));
    expect(res.status).toBe(204);

    expect((await closedWithin(firstSocket)).code).toBe(WS_CLOSE.unauthenticated);
    expect((await closedWithin(otherSocket)).code).toBe(WS_CLOSE.unauthenticated);
    await roundTrip(keySocket);
    expect(isOpen(keySocket)).toBe(true);
    await roundTrip(strangerSocket);
    expect(isOpen(strangerSocket)).toBe(true);
    expect(eventsOf(strangerSocket)).toEqual([]);
  });

  it("closes the other sessions' sockets on change-password, and keeps the caller's", async () => {
    const { user, first, firstSocket, otherSocket, firstId } = await twoSessions();
    const res = await post(
      t,
      '/auth/change-password',
      { currentPassword: user.credentials.password, newPassword: 'a whole new passphrase' },
      bearer(first.accessToken),
    );
    expect(res.status).toBe(204);
    expect((await closedWithin(otherSocket)).code).toBe(WS_CLOSE.unauthenticated);
    await roundTrip(firstSocket);
    expect(isOpen(firstSocket)).toBe(true);
    expect(
      eventsOf(firstSocket, REALTIME_EVENTS.sessionRevoked).map((e) => e.data),
    ).not.toContainEqual({ sessionId: firstId });
  });

  /** Resets the password through the mailed link; the reset ends every session and API key. */
  async function resetPassword(credentials: Credentials) {
    expect(
      (await post(t, '/auth/request-password-reset', { email: credentials.email })).status,
    ).toBe(202);
    const email = await lastEmail(t, credentials.email, /Reset/);
    const res = await post(t, '/auth/reset-password', {
      token: tokenOf(email.link),
      password: 'the reset passphrase',
    });
    expect(res.status).toBe(204);
  }

  /** A socket authenticated with a new API key of the session's user, in the upgrade headers. */
  async function apiKeySocket(session: Session) {
    const created = await post(
      t,
      '/api-keys',
      { name: 'ws', scopes: ['read'] },
      bearer(session.accessToken),
    );
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    const socket = await sockets.open(t, { headers: { 'x-api-key': secret } });
    await socket.next('ready');
    return socket;
  }

  it('closes every session socket of the user with 4401 on a password reset', async () => {
    const { user, firstSocket, otherSocket } = await twoSessions();
    await resetPassword(user.credentials);
    expect((await closedWithin(firstSocket)).code).toBe(WS_CLOSE.unauthenticated);
    expect((await closedWithin(otherSocket)).code).toBe(WS_CLOSE.unauthenticated);
  });

  // BUG: the reset revokes the user's API keys ("whoever had the old password, and may have made
  // a key with it, is out"), but a socket opened with such a key stays open and keeps getting the
  // user's events (user.updated carries the email) and publishing to rooms as the user.
  it('closes the API-key sockets of the user with 4401 on a password reset too (the reset revokes the keys)', async () => {
    const { user, first } = await twoSessions();
    const keySocket = await apiKeySocket(first);
    await resetPassword(user.credentials);
    expect((await closedWithin(keySocket)).code).toBe(WS_CLOSE.unauthenticated);
  });

  // BUG: after closing a socket (here 4401, session ended) the hub keeps acting on its frames
  // until the client answers the close, or for 2 s when it never does.
  it('ignores what a client sends after its session ended, even when it never answers the close', async () => {
    const alice = await newUser(t);
    const bob = await newUser(t);
    const observer = await sockets.authed(t, bob.session.accessToken);
    observer.send({ type: 'subscribe', topics: ['room:after-close'], id: 'sub' });
    await observer.next('ack', (m) => m.id === 'sub');

    // A hand-written client: it never answers the server's close frame.
    const raw = await rawConnect(t);
    try {
      raw.send({ type: 'auth', token: alice.session.accessToken });
      await raw.next(() => textMessages(raw).some((m) => m.type === 'ready'));
      raw.send({ type: 'publish', topic: 'room:after-close', data: 'while live', id: 'p1' });
      await observer.next('event', (m) => (m.data as { data?: unknown }).data === 'while live');

      expect((await post(t, '/auth/logout', {}, { cookie: alice.session.cookie })).status).toBe(
        204,
      );
      expect(await raw.closeFrame()).toBe(WS_CLOSE.unauthenticated);

      raw.send({ type: 'publish', topic: 'room:after-close', data: 'after the close', id: 'p2' });
      raw.send({ type: 'subscribe', topics: ['room:after-close'], id: 's2' });
      // Given time to (wrongly) deliver it: it would arrive in a few milliseconds.
      await sleep(500);
      await roundTrip(observer);
      expect(
        eventsOf(observer).filter((m) => (m.data as { data?: unknown }).data === 'after the close'),
      ).toEqual([]);
    } finally {
      raw.destroy();
    }
  });

  it('closes with 4401 on a re-auth with the token of another user', async () => {
    const alice = await newUser(t);
    const bob = await newUser(t);
    const socket = await sockets.authed(t, alice.session.accessToken);
    socket.send({ type: 'auth', token: bob.session.accessToken });
    expect((await closedWithin(socket)).code).toBe(WS_CLOSE.unauthenticated);
    expect(socket.messages.filter((m) => m.type === 'ready')).toHaveLength(1);
  });

  it('closes with 4401 on a re-auth with a bad token', async () => {
    const alice = await newUser(t);
    const socket = await sockets.authed(t, alice.session.accessToken);
    socket.send({ type: 'auth', token: `${alice.session.accessToken}x` });
    expect((await closedWithin(socket)).code).toBe(WS_CLOSE.unauthenticated);
  });

  it('after a re-auth with a token of another session of the same user, follows that session', async () => {
    const { first, other, firstId } = await twoSessions();
    const socket = await sockets.authed(t, first.accessToken);
    socket.send({ type: 'auth', token: other.accessToken });
    await socket.next(
      'ready',
      () => socket.messages.filter((m) => m.type === 'ready').length === 2,
    );

    // Ending the session it authenticated with first no longer concerns it...
    expect((await post(t, '/auth/logout', {}, { cookie: first.cookie })).status).toBe(204);
    await toldAndOpen(socket, firstId);
    // ...ending the one it moved to does.
    expect((await post(t, '/auth/logout', {}, { cookie: other.cookie })).status).toBe(204);
    expect((await closedWithin(socket)).code).toBe(WS_CLOSE.unauthenticated);
  });
});

describe('realtime sockets and access-token expiry', () => {
  let t: TestApp;
  let credentials: Credentials;
  const sockets = socketPool();
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
    credentials = (await newUser(t)).credentials;
  });
  afterEach(() => sockets.terminateAll());
  afterAll(() => t.close());

  /** Seconds since the epoch, `ahead` seconds from now: a token's `exp`. */
  const secondsFromNow = (ahead: number) => Math.floor(Date.now() / 1000) + ahead;

  /**
   * A fresh login, and a socket authenticated with a token of its session that expires in 2–3 s
   * (tokens count whole seconds), instead of waiting out the 15 minutes of a real one.
   */
  async function shortLivedSocket(): Promise<{
    session: Session;
    socket: WsClient;
    expiresAt: number;
  }> {
    const session = await login(t, credentials);
    const exp = secondsFromNow(3);
    const socket = await sockets.authed(t, accessTokenExpiringAt(t, session.accessToken, exp));
    return { session, socket, expiresAt: exp * 1000 };
  }

  it('closes the socket with 4401 when its token expires, not before', async () => {
    const { socket, expiresAt } = await shortLivedSocket();
    const close = await closedWithin(socket, expiresAt - Date.now() + 5_000);
    expect(close.code).toBe(WS_CLOSE.unauthenticated);
    // A moment, not a duration: a busy machine can only make the close later.
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 100);
  });

  it('keeps the socket open past the expiry when a fresh token came in an auth message', async () => {
    const { session, socket, expiresAt } = await shortLivedSocket();
    const freshExpiresAt = (expiresAt / 1000 + 2) * 1000;
    const fresh = accessTokenExpiringAt(t, session.accessToken, freshExpiresAt / 1000);

    socket.send({ type: 'auth', token: fresh });
    // A second `ready`: the re-auth came in time (after the expiry the socket would be closed).
    await socket.next(
      'ready',
      () => socket.messages.filter((m) => m.type === 'ready').length === 2,
    );

    // The first token's expiry is a moment to wait for: nothing happens at it.
    await sleep(Math.max(0, expiresAt + 300 - Date.now()));
    await roundTrip(socket);
    expect(isOpen(socket)).toBe(true);

    // The fresh token expires in turn.
    const close = await closedWithin(socket, freshExpiresAt - Date.now() + 5_000);
    expect(close.code).toBe(WS_CLOSE.unauthenticated);
    expect(Date.now()).toBeGreaterThanOrEqual(freshExpiresAt - 100);
  });
});
