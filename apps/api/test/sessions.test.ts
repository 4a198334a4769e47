import { authTokensSchema, sessionListSchema } from '@repo/contracts';
import { type Credentials } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  get,
  post,
  refresh,
  refreshCookie,
  registerVerified,
  type Session,
} from './support/auth-client.js';
import {
  clearsRefreshCookie,
  expectProblem,
  sessionIdOfToken,
  sessionRowsOf,
} from './support/session-checks.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('the sessions of a user', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Many registrations in one minute: not what this file tests.
    t = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_IP: '1000' } });
  });
  afterAll(() => t.close());

  /** Logs in as a browser with this user agent. */
  async function loginAs(credentials: Credentials, userAgent: string): Promise<Session> {
    const res = await post(
      t,
      '/auth/login',
      { email: credentials.email, password: credentials.password },
      { 'user-agent': userAgent },
    );
    expect(res.status).toBe(200);
    const body = authTokensSchema.parse(await res.json());
    const cookie = refreshCookie(res);
    expect(cookie).toBeDefined();
    return { accessToken: body.accessToken, cookie: cookie!, body };
  }

  const list = async (session: Session) => {
    const res = await get(t, '/auth/sessions', bearer(session.accessToken));
    expect(res.status).toBe(200);
    return sessionListSchema.parse(await res.json());
  };
  const me = (session: Session) => get(t, '/users/me', bearer(session.accessToken));
  const revoke = (session: Session, id: string) =>
    fetch(`${t.api}/auth/sessions/${id}`, {
      method: 'DELETE',
      headers: bearer(session.accessToken),
    });

  it('lists the live sessions of the caller only, marks the current one, with user agent and IP', async () => {
    const alice = await registerVerified(t);
    const laptop = await loginAs(alice, 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0');
    const phone = await loginAs(alice, 'Mozilla/5.0 (iPhone) Safari/604.1');
    const ended = await loginAs(alice, 'curl/8.0');
    expect((await post(t, '/auth/logout', {}, { cookie: ended.cookie })).status).toBe(204);
    const bob = await loginAs(await registerVerified(t), 'Bob browser');

    const sessions = await list(laptop);
    expect(sessions.map((s) => s.id).sort()).toEqual(
      [sessionIdOfToken(laptop.accessToken), sessionIdOfToken(phone.accessToken)].sort(),
    );
    expect(sessions.map((s) => s.id)).not.toContain(sessionIdOfToken(bob.accessToken));
    expect(sessions.filter((s) => s.current).map((s) => s.id)).toEqual([
      sessionIdOfToken(laptop.accessToken),
    ]);
    const byId = new Map(sessions.map((s) => [s.id, s]));
    expect(byId.get(sessionIdOfToken(laptop.accessToken))).toMatchObject({
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
      ip: '127.0.0.1',
      current: true,
    });
    expect(byId.get(sessionIdOfToken(phone.accessToken))).toMatchObject({
      userAgent: 'Mozilla/5.0 (iPhone) Safari/604.1',
      ip: '127.0.0.1',
      current: false,
    });

    // Asked from the other session, the mark moves with the caller.
    const fromPhone = await list(phone);
    expect(fromPhone.filter((s) => s.current).map((s) => s.id)).toEqual([
      sessionIdOfToken(phone.accessToken),
    ]);
  });

  it('needs an access token', async () => {
    await expectProblem(await get(t, '/auth/sessions'), 401, 'unauthorized');
  });

  it('DELETE /auth/sessions/:id ends another session of the user: its access and refresh tokens stop working', async () => {
    const alice = await registerVerified(t);
    const mine = await loginAs(alice, 'mine');
    const stolen = await loginAs(alice, 'stolen');

    const res = await revoke(mine, sessionIdOfToken(stolen.accessToken));
    expect(res.status).toBe(204);

    await expectProblem(await me(stolen), 401, 'token_invalid');
    const refreshed = await refresh(t, stolen.cookie);
    expect(refreshed.status).toBe(401);
    expect(refreshCookie(refreshed)).toBeUndefined();

    // The caller's session goes on, and the ended one is no longer listed.
    expect((await me(mine)).status).toBe(200);
    expect((await list(mine)).map((s) => s.id)).toEqual([sessionIdOfToken(mine.accessToken)]);
    const rows = await sessionRowsOf(t, alice.email);
    expect(
      rows.find((r) => r.id === sessionIdOfToken(stolen.accessToken))?.revoked_at,
    ).toBeInstanceOf(Date);

    // Ending it again: it is no longer a live session.
    await expectProblem(await revoke(mine, sessionIdOfToken(stolen.accessToken)), 404, 'not_found');
  });

  it('404s for an unknown session id and for another user’s session, which stays alive', async () => {
    const alice = await loginAs(await registerVerified(t), 'alice');
    const bobCredentials = await registerVerified(t);
    const bob = await loginAs(bobCredentials, 'bob');

    await expectProblem(
      await revoke(alice, '00000000-0000-4000-8000-000000000000'),
      404,
      'not_found',
    );
    await expectProblem(await revoke(alice, sessionIdOfToken(bob.accessToken)), 404, 'not_found');

    expect((await me(bob)).status).toBe(200);
    const refreshed = await refresh(t, bob.cookie);
    expect(refreshed.status).toBe(200);
    expect(refreshCookie(refreshed)).toBeDefined();
    const [row] = await sessionRowsOf(t, bobCredentials.email);
    expect(row!.revoked_at).toBeNull();
  });

  it('answers a non-UUID session id with a 400 problem', async () => {
    const alice = await loginAs(await registerVerified(t), 'alice');
    await expectProblem(await revoke(alice, 'not-a-uuid'), 400, 'validation_failed');
    expect((await me(alice)).status).toBe(200);
  });

  it('POST /auth/logout-all ends every session of the user, the caller’s too, and clears the cookie', async () => {
    const aliceCredentials = await registerVerified(t);
    const a = await loginAs(aliceCredentials, 'a');
    const b = await loginAs(aliceCredentials, 'b');
    const bob = await loginAs(await registerVerified(t), 'bob');

    const res = await post(
      t,
      '/auth/logout-all',
      {},
      { ...bearer(a.accessToken), cookie: a.cookie },
    );
    expect(res.status).toBe(204);
    expect(clearsRefreshCookie(res)).toBe(true);

    for (const session of [a, b]) {
      await expectProblem(await me(session), 401, 'token_invalid');
      const refreshed = await refresh(t, session.cookie);
      expect(refreshed.status).toBe(401);
      expect(refreshCookie(refreshed)).toBeUndefined();
    }
    const rows = await sessionRowsOf(t, aliceCredentials.email);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.revoked_at instanceof Date)).toBe(true);

    // Another user is untouched.
    expect((await me(bob)).status).toBe(200);
  });

  it('POST /auth/logout-all needs an access token', async () => {
    await expectProblem(await post(t, '/auth/logout-all', {}), 401, 'unauthorized');
  });
});
