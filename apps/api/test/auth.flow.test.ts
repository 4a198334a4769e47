import { authTokensSchema, problemDetailsSchema, userSchema } from '@repo/contracts';
import { newCredentials } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  get,
  lastEmail,
  login,
  post,
  refresh,
  refreshCookie,
  registerVerified,
  tokenOf,
} from './support/auth-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('account lifecycle', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('register → verify through the mailed link → login → me → refresh → logout → refresh fails', async () => {
    const credentials = newCredentials();
    const registered = await post(t, '/auth/register', credentials);
    expect(registered.status).toBe(202);
    expect(await registered.text()).toBe('');

    // The account exists once its verification email does.
    const email = await lastEmail(t, credentials.email, /Confirm/);
    // Not verified yet: the right password is still refused, with a distinct code.
    const early = await post(t, '/auth/login', {
      email: credentials.email,
      password: credentials.password,
    });
    expect(early.status).toBe(403);
    expect(problemDetailsSchema.parse(await early.json()).code).toBe('email_not_verified');

    expect(email.link).toMatch(/^http:\/\/localhost:3000\/verify-email\?token=/);
    const verified = await post(t, '/auth/verify-email', { token: tokenOf(email.link) });
    expect(verified.status).toBe(200);
    const user = userSchema.parse(await verified.json());
    expect(user).toMatchObject({
      email: credentials.email,
      emailVerified: true,
      mfaEnabled: false,
    });

    const session = await login(t, credentials);
    expect(authTokensSchema.parse(session.body).refreshToken).toBeUndefined();

    const me = await get(t, '/users/me', bearer(session.accessToken));
    expect(me.status).toBe(200);
    expect(userSchema.parse(await me.json())).toMatchObject({ id: user.id, emailVerified: true });

    const refreshed = await refresh(t, session.cookie);
    expect(refreshed.status).toBe(200);
    const next = refreshCookie(refreshed);
    expect(next).toBeDefined();
    expect(next).not.toBe(session.cookie);
    const tokens = authTokensSchema.parse(await refreshed.json());
    expect((await get(t, '/users/me', bearer(tokens.accessToken))).status).toBe(200);

    const logout = await post(t, '/auth/logout', {}, { cookie: next! });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie().join()).toMatch(/refresh_token=;/);

    const after = await refresh(t, next!);
    expect(after.status).toBe(401);
    expect((await get(t, '/users/me', bearer(tokens.accessToken))).status).toBe(401);
  });

  it('verification links work once', async () => {
    const credentials = newCredentials();
    await post(t, '/auth/register', credentials);
    const { link } = await lastEmail(t, credentials.email, /Confirm/);
    expect((await post(t, '/auth/verify-email', { token: tokenOf(link) })).status).toBe(200);
    const again = await post(t, '/auth/verify-email', { token: tokenOf(link) });
    expect(again.status).toBe(400);
    expect(problemDetailsSchema.parse(await again.json()).code).toBe('link_invalid');
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const credentials = await registerVerified(t);
    const wrong = await post(t, '/auth/login', {
      email: credentials.email,
      password: 'not the password',
    });
    const unknown = await post(t, '/auth/login', {
      email: `nobody-${credentials.email}`,
      password: 'whatever it is',
    });
    const [a, b] = [
      problemDetailsSchema.parse(await wrong.json()),
      problemDetailsSchema.parse(await unknown.json()),
    ];
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect([a.code, b.code]).toEqual(['invalid_credentials', 'invalid_credentials']);
    expect(a.detail).toBe(b.detail);
  });

  it('gives native clients (no Origin) the refresh token in the body, and takes it back there', async () => {
    const credentials = await registerVerified(t);
    const res = await fetch(`${t.api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: credentials.email, password: credentials.password }),
    });
    const body = authTokensSchema.parse(await res.json());
    expect(body.refreshToken).toBeDefined();
    expect(refreshCookie(res)).toBeUndefined();
    const refreshed = await fetch(`${t.api}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: body.refreshToken }),
    });
    expect(refreshed.status).toBe(200);
    const next = authTokensSchema.parse(await refreshed.json());
    expect(next.refreshToken).toBeDefined();
    expect(next.refreshToken).not.toBe(body.refreshToken);
  });

  it('updates the profile through PATCH /users/me', async () => {
    const session = await login(t, await registerVerified(t));
    const res = await fetch(`${t.api}/users/me`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...bearer(session.accessToken) },
      body: JSON.stringify({ name: '  Ada Lovelace ' }),
    });
    expect(res.status).toBe(200);
    expect(userSchema.parse(await res.json()).name).toBe('Ada Lovelace');
  });
});
