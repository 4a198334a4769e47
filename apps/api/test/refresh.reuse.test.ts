import { authTokensSchema } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  get,
  login,
  refresh,
  refreshCookie,
  registerVerified,
} from './support/auth-client.js';
import {
  clearsRefreshCookie,
  expectProblem,
  pastRefreshGrace,
  sessionIdOfToken,
  sessionRowsOf,
} from './support/session-checks.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('refresh token reuse detection', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const me = (accessToken: string) => get(t, '/users/me', bearer(accessToken));

  /** Refreshes with a cookie that must rotate; returns the new cookie and access token. */
  async function rotate(cookie: string) {
    const res = await refresh(t, cookie);
    expect(res.status).toBe(200);
    const next = refreshCookie(res);
    expect(next).toBeDefined();
    return { cookie: next!, accessToken: authTokensSchema.parse(await res.json()).accessToken };
  }

  it('a rotated token presented after the grace window is refresh_reused, and ends that whole session only', async () => {
    const credentials = await registerVerified(t);
    const victim = await login(t, credentials);
    const other = await login(t, credentials);

    const current = await rotate(victim.cookie);
    await pastRefreshGrace(t, credentials.email);

    const reused = await refresh(t, victim.cookie);
    await expectProblem(reused, 401, 'refresh_reused');
    expect(clearsRefreshCookie(reused)).toBe(true);

    // The whole family is dead: the newest refresh token and the session's access tokens.
    const latest = await refresh(t, current.cookie);
    expect(latest.status).toBe(401);
    expect(refreshCookie(latest)).toBeUndefined();
    await expectProblem(await me(current.accessToken), 401, 'token_invalid');
    await expectProblem(await me(victim.accessToken), 401, 'token_invalid');

    const rows = await sessionRowsOf(t, credentials.email);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(sessionIdOfToken(victim.accessToken))?.revoked_at).toBeInstanceOf(Date);
    expect(byId.get(sessionIdOfToken(other.accessToken))?.revoked_at).toBeNull();

    // Another session of the same user goes on.
    expect((await me(other.accessToken)).status).toBe(200);
    const next = await rotate(other.cookie);
    expect((await me(next.accessToken)).status).toBe(200);
  });

  it('presenting the reused token again keeps failing and revives nothing', async () => {
    const credentials = await registerVerified(t);
    const session = await login(t, credentials);
    const current = await rotate(session.cookie);
    await pastRefreshGrace(t, credentials.email);
    await expectProblem(await refresh(t, session.cookie), 401, 'refresh_reused');
    expect((await refresh(t, session.cookie)).status).toBe(401);
    expect((await refresh(t, current.cookie)).status).toBe(401);
    const [row] = await sessionRowsOf(t, credentials.email);
    expect(row!.revoked_at).toBeInstanceOf(Date);
  });

  // A thief who rotates a stolen token twice before its owner comes back must still be caught:
  // the owner's token is then two generations old, not the immediately previous one.
  it('a token two rotations old is refresh_reused too, and the thief’s session ends', async () => {
    const credentials = await registerVerified(t);
    const owner = await login(t, credentials);
    const thiefFirst = await rotate(owner.cookie);
    const thief = await rotate(thiefFirst.cookie);
    await pastRefreshGrace(t, credentials.email);

    await expectProblem(await refresh(t, owner.cookie), 401, 'refresh_reused');
    expect((await refresh(t, thief.cookie)).status).toBe(401);
    expect((await me(thief.accessToken)).status).toBe(401);
  });
});
