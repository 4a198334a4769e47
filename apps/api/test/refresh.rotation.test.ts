import { authTokensSchema, userSchema } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  get,
  login,
  post,
  refresh,
  refreshCookie,
  registerVerified,
} from './support/auth-client.js';
import {
  clearsRefreshCookie,
  expectProblem,
  expireSessionsOf,
  refreshSetCookies,
  sessionIdOfToken,
  sessionRowsOf,
  storedHashOf,
} from './support/session-checks.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('refresh token rotation', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A generous grace window: the replays below must land inside it even on a loaded machine.
    t = await startTestApp({
      env: { REFRESH_GRACE_SECONDS: '120', RATE_LIMIT_AUTH_PER_IP: '1000' },
    });
  });
  afterAll(() => t.close());

  const me = (accessToken: string) => get(t, '/users/me', bearer(accessToken));

  it('every refresh sets a new refresh cookie and returns a new access token that works', async () => {
    const credentials = await registerVerified(t);
    const session = await login(t, credentials);
    const sessionId = sessionIdOfToken(session.accessToken);
    const seen = [session.cookie];
    let cookie = session.cookie;
    for (let i = 0; i < 3; i++) {
      const res = await refresh(t, cookie);
      expect(res.status).toBe(200);
      const tokens = authTokensSchema.parse(await res.json());
      // Browsers get the refresh token as a cookie only, never in the body.
      expect(tokens.refreshToken).toBeUndefined();
      expect(tokens.user.email).toBe(credentials.email);
      const next = refreshCookie(res);
      expect(next).toBeDefined();
      expect(seen).not.toContain(next);
      seen.push(next!);
      // Same session (family), rotated in place.
      expect(sessionIdOfToken(tokens.accessToken)).toBe(sessionId);
      const user = await me(tokens.accessToken);
      expect(user.status).toBe(200);
      expect(userSchema.parse(await user.json()).email).toBe(credentials.email);
      cookie = next!;
    }
    const rows = await sessionRowsOf(t, credentials.email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: sessionId,
      token_hash: storedHashOf(cookie),
      previous_token_hash: storedHashOf(seen.at(-2)!),
      revoked_at: null,
    });
  });

  it('accepts the previous token again within the grace window, without rotating or revoking anything', async () => {
    const credentials = await registerVerified(t);
    const session = await login(t, credentials);
    const first = await refresh(t, session.cookie);
    expect(first.status).toBe(200);
    const newest = refreshCookie(first)!;
    expect(newest).toBeDefined();

    const replay = await refresh(t, session.cookie);
    expect(replay.status).toBe(200);
    // No new refresh token, and no clearing either: the browser keeps the newest cookie.
    expect(refreshSetCookies(replay)).toEqual([]);
    const tokens = authTokensSchema.parse(await replay.json());
    expect(tokens.refreshToken).toBeUndefined();
    expect(sessionIdOfToken(tokens.accessToken)).toBe(sessionIdOfToken(session.accessToken));
    expect((await me(tokens.accessToken)).status).toBe(200);

    // Nothing was rotated nor revoked by the replay.
    const [row] = await sessionRowsOf(t, credentials.email);
    expect(row).toMatchObject({
      token_hash: storedHashOf(newest),
      previous_token_hash: storedHashOf(session.cookie),
      revoked_at: null,
    });

    // The newest token still rotates normally afterwards.
    const after = await refresh(t, newest);
    expect(after.status).toBe(200);
    const rotated = refreshCookie(after);
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(newest);
    expect((await me(authTokensSchema.parse(await after.json()).accessToken)).status).toBe(200);
  });

  it('20 concurrent refreshes with one token all succeed, and exactly one of them rotates it', async () => {
    const credentials = await registerVerified(t);
    const session = await login(t, credentials);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => refresh(t, session.cookie)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array<number>(20).fill(200));
    const bodies = await Promise.all(
      responses.map(async (r) => authTokensSchema.parse(await r.json())),
    );
    const cookies = responses.map(refreshCookie).filter((c) => c !== undefined);
    expect(cookies).toHaveLength(1);
    // None of the others cleared the cookie either.
    expect(responses.flatMap(refreshSetCookies)).toHaveLength(1);

    // Every access token handed out works, and they all belong to the one session.
    const statuses = await Promise.all(bodies.map(async (b) => (await me(b.accessToken)).status));
    expect(statuses).toEqual(Array<number>(20).fill(200));
    expect(new Set(bodies.map((b) => sessionIdOfToken(b.accessToken)))).toEqual(
      new Set([sessionIdOfToken(session.accessToken)]),
    );

    const rows = await sessionRowsOf(t, credentials.email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ token_hash: storedHashOf(cookies[0]!), revoked_at: null });

    // The session goes on with the one new cookie.
    const next = await refresh(t, cookies[0]!);
    expect(next.status).toBe(200);
    expect(refreshCookie(next)).toBeDefined();
    expect((await me(authTokensSchema.parse(await next.json()).accessToken)).status).toBe(200);
  });

  it('refuses a refresh without any token: 401 unauthorized', async () => {
    const res = await post(t, '/auth/refresh', {});
    await expectProblem(res, 401, 'unauthorized');
  });

  it('refuses a garbage token: 401 token_invalid, and clears the cookie', async () => {
    const res = await refresh(t, 'refresh_token=this-is-not-a-token-the-server-ever-issued');
    await expectProblem(res, 401, 'token_invalid');
    expect(clearsRefreshCookie(res)).toBe(true);
  });

  it('refuses the token of a logged-out session: 401 token_invalid', async () => {
    const session = await login(t, await registerVerified(t));
    expect((await post(t, '/auth/logout', {}, { cookie: session.cookie })).status).toBe(204);
    const res = await refresh(t, session.cookie);
    await expectProblem(res, 401, 'token_invalid');
    expect(clearsRefreshCookie(res)).toBe(true);
  });
});

describe('refresh token expiry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refuses an expired refresh token: 401 token_expired, clears the cookie, and ends the session', async () => {
    const credentials = await registerVerified(t);
    const session = await login(t, credentials);
    await expireSessionsOf(t, credentials.email);
    const res = await refresh(t, session.cookie);
    await expectProblem(res, 401, 'token_expired');
    expect(clearsRefreshCookie(res)).toBe(true);
    expect(refreshCookie(res)).toBeUndefined();
    // The access token (15 min) dies with its session.
    await expectProblem(
      await get(t, '/users/me', bearer(session.accessToken)),
      401,
      'token_invalid',
    );
    // Expired, not revoked: the row was left as it was.
    const [row] = await sessionRowsOf(t, credentials.email);
    expect(row).toMatchObject({ token_hash: storedHashOf(session.cookie), revoked_at: null });
    expect(row!.expires_at.getTime()).toBeLessThan(Date.now());
  });
});
