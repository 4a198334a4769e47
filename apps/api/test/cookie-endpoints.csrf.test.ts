import { authTokensSchema } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  BROWSER_ORIGIN,
  get,
  login,
  post,
  refresh,
  refreshCookie,
  registerVerified,
  type Session,
} from './support/auth-client.js';
import {
  clearsRefreshCookie,
  expectProblem,
  refreshSetCookies,
  sessionRowsOf,
  storedHashOf,
} from './support/session-checks.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const COOKIE_ROUTES = ['/auth/refresh', '/auth/logout'] as const;

describe('CSRF defences of the cookie-authenticated routes (refresh, logout)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_IP: '1000' } });
  });
  afterAll(() => t.close());

  /** A fresh session, and its user's email for reading the database. */
  async function freshSession(): Promise<Session & { email: string }> {
    const credentials = await registerVerified(t);
    return { ...(await login(t, credentials)), email: credentials.email };
  }

  /** The session was neither rotated nor ended: same stored token, not revoked, access works. */
  async function expectUntouched(session: Session & { email: string }) {
    const [row] = await sessionRowsOf(t, session.email);
    expect(row).toMatchObject({
      token_hash: storedHashOf(session.cookie),
      previous_token_hash: null,
      rotated_at: null,
      revoked_at: null,
    });
    expect((await get(t, '/users/me', bearer(session.accessToken))).status).toBe(200);
    // Still the current token: it rotates (a new cookie), which a replay in the grace window would not.
    const res = await refresh(t, session.cookie);
    expect(res.status).toBe(200);
    expect(refreshCookie(res)).toBeDefined();
  }

  /** A request as a cross-site form would send it. */
  const send = (path: string, cookie: string, init: { contentType?: string; body?: string }) =>
    fetch(`${t.api}${path}`, {
      method: 'POST',
      headers: {
        origin: BROWSER_ORIGIN,
        cookie,
        ...(init.contentType ? { 'content-type': init.contentType } : {}),
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });

  describe.each(COOKIE_ROUTES)('POST %s', (path) => {
    it.each([
      ['a text/plain body', { contentType: 'text/plain', body: '{}' }],
      ['a form body', { contentType: 'application/x-www-form-urlencoded', body: 'a=b' }],
      ['no body at all', {}],
    ])('refuses %s with 415, leaving the session as it was', async (_, init) => {
      const session = await freshSession();
      const res = await send(path, session.cookie, init);
      await expectProblem(res, 415, 'unsupported_media_type');
      expect(refreshSetCookies(res)).toEqual([]);
      await expectUntouched(session);
    });

    it.each(['http://evil.example', 'null'])(
      'refuses Origin %s with 403 origin_not_allowed, leaving the session as it was',
      async (origin) => {
        const session = await freshSession();
        const res = await post(t, path, {}, { cookie: session.cookie, origin });
        await expectProblem(res, 403, 'origin_not_allowed');
        expect(refreshSetCookies(res)).toEqual([]);
        await expectUntouched(session);
      },
    );
  });

  it('POST /auth/refresh with the allowed Origin and a JSON body rotates the token', async () => {
    const session = await freshSession();
    const res = await post(
      t,
      '/auth/refresh',
      {},
      { cookie: session.cookie, origin: BROWSER_ORIGIN },
    );
    expect(res.status).toBe(200);
    expect(authTokensSchema.parse(await res.json()).accessToken).toBeTruthy();
    const next = refreshCookie(res);
    expect(next).toBeDefined();
    const [row] = await sessionRowsOf(t, session.email);
    expect(row).toMatchObject({
      token_hash: storedHashOf(next!),
      previous_token_hash: storedHashOf(session.cookie),
      revoked_at: null,
    });
  });

  it('POST /auth/logout with the allowed Origin and a JSON body ends the session', async () => {
    const session = await freshSession();
    const res = await post(
      t,
      '/auth/logout',
      {},
      { cookie: session.cookie, origin: BROWSER_ORIGIN },
    );
    expect(res.status).toBe(204);
    expect(clearsRefreshCookie(res)).toBe(true);
    const [row] = await sessionRowsOf(t, session.email);
    expect(row!.revoked_at).toBeInstanceOf(Date);
    expect((await get(t, '/users/me', bearer(session.accessToken))).status).toBe(401);
    expect((await refresh(t, session.cookie)).status).toBe(401);
  });
});
