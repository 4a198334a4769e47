import { authTokensSchema, REFRESH_COOKIE } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_ORIGIN, post, refresh, registerVerified } from './support/auth-client.js';
import { refreshSetCookies } from './support/session-checks.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** A Set-Cookie line as its name, value and attributes (names lower-cased, flags → true). */
function parseSetCookie(line: string) {
  const [pair, ...rest] = line.split(';').map((part) => part.trim());
  const eq = pair!.indexOf('=');
  const attributes = new Map<string, string | true>();
  for (const attribute of rest) {
    const i = attribute.indexOf('=');
    if (i < 0) attributes.set(attribute.toLowerCase(), true);
    else attributes.set(attribute.slice(0, i).toLowerCase(), attribute.slice(i + 1));
  }
  return { name: pair!.slice(0, eq), value: pair!.slice(eq + 1), attributes };
}

/** The one refresh cookie a response sets, parsed. */
function theRefreshCookie(res: Response) {
  const lines = refreshSetCookies(res);
  expect(lines).toHaveLength(1);
  const cookie = parseSetCookie(lines[0]!);
  expect(cookie.value).not.toBe('');
  return cookie;
}

/** Logs in as a browser and returns the response (its body read into `tokens`). */
async function browserLogin(t: TestApp) {
  const credentials = await registerVerified(t);
  const res = await post(t, '/auth/login', {
    email: credentials.email,
    password: credentials.password,
  });
  expect(res.status).toBe(200);
  const tokens = authTokensSchema.parse(await res.json());
  return { res, tokens };
}

describe('the refresh cookie, by default in tests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { REFRESH_TOKEN_TTL: '2h' } });
  });
  afterAll(() => t.close());

  it('is HttpOnly, scoped to /api/v1/auth, SameSite=Lax, lives REFRESH_TOKEN_TTL, and is not Secure on http', async () => {
    const { res } = await browserLogin(t);
    const cookie = theRefreshCookie(res);
    expect(cookie.name).toBe(REFRESH_COOKIE);
    expect(cookie.attributes.get('httponly')).toBe(true);
    expect(cookie.attributes.get('path')).toBe('/api/v1/auth');
    expect(cookie.attributes.get('samesite')).toBe('Lax');
    expect(cookie.attributes.get('max-age')).toBe(String(2 * 60 * 60));
    expect(cookie.attributes.has('secure')).toBe(false);
    // Host-only: no Domain attribute that would widen it to subdomains.
    expect(cookie.attributes.has('domain')).toBe(false);
  });

  it('keeps the same flags and a fresh full lifetime when a refresh rotates it', async () => {
    const { res } = await browserLogin(t);
    const first = theRefreshCookie(res);
    const refreshed = await refresh(t, `${first.name}=${first.value}`);
    expect(refreshed.status).toBe(200);
    const next = theRefreshCookie(refreshed);
    expect(next.value).not.toBe(first.value);
    expect(Object.fromEntries(next.attributes)).toEqual({
      httponly: true,
      path: '/api/v1/auth',
      samesite: 'Lax',
      'max-age': String(2 * 60 * 60),
    });
  });

  it('is cleared on logout with the same path, so the browser really drops it', async () => {
    const { res } = await browserLogin(t);
    const cookie = theRefreshCookie(res);
    const logout = await post(t, '/auth/logout', {}, { cookie: `${cookie.name}=${cookie.value}` });
    expect(logout.status).toBe(204);
    const lines = refreshSetCookies(logout);
    expect(lines).toHaveLength(1);
    const cleared = parseSetCookie(lines[0]!);
    expect(cleared.value).toBe('');
    expect(cleared.attributes.get('path')).toBe('/api/v1/auth');
    expect(cleared.attributes.get('httponly')).toBe(true);
    const expires = cleared.attributes.get('expires');
    const maxAge = cleared.attributes.get('max-age');
    expect(
      maxAge === '0' || (typeof expires === 'string' && Date.parse(expires) <= Date.now()),
    ).toBe(true);
  });

  it('never carries the access token: no Set-Cookie holds it, and no other cookie is set', async () => {
    const { res, tokens } = await browserLogin(t);
    const all = res.headers.getSetCookie();
    expect(all.map((line) => parseSetCookie(line).name)).toEqual([REFRESH_COOKIE]);
    expect(all.join('\n')).not.toContain(tokens.accessToken);

    const refreshed = await refresh(t, `${REFRESH_COOKIE}=${theRefreshCookie(res).value}`);
    const next = authTokensSchema.parse(await refreshed.json());
    const again = refreshed.headers.getSetCookie();
    expect(again.map((line) => parseSetCookie(line).name)).toEqual([REFRESH_COOKIE]);
    expect(again.join('\n')).not.toContain(next.accessToken);
  });

  it('is not set at all for a native client (no Origin), which gets the token in the body', async () => {
    const credentials = await registerVerified(t);
    const res = await fetch(`${t.api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: credentials.email, password: credentials.password }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(authTokensSchema.parse(await res.json()).refreshToken).toBeTruthy();
  });
});

describe('the refresh cookie with COOKIE_SECURE=true', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { COOKIE_SECURE: 'true' } });
  });
  afterAll(() => t.close());

  it('is Secure, and lives the default REFRESH_TOKEN_TTL (30d)', async () => {
    const { res } = await browserLogin(t);
    const cookie = theRefreshCookie(res);
    expect(cookie.attributes.get('secure')).toBe(true);
    expect(cookie.attributes.get('httponly')).toBe(true);
    expect(cookie.attributes.get('max-age')).toBe(String(30 * 24 * 60 * 60));
  });

  it('is cleared with Secure too', async () => {
    const { res } = await browserLogin(t);
    const cookie = theRefreshCookie(res);
    const logout = await fetch(`${t.api}/auth/logout`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: BROWSER_ORIGIN,
        cookie: `${cookie.name}=${cookie.value}`,
      },
      body: '{}',
    });
    expect(logout.status).toBe(204);
    const [line] = refreshSetCookies(logout);
    expect(parseSetCookie(line!).attributes.get('secure')).toBe(true);
  });
});

describe('the refresh cookie with COOKIE_SAMESITE=strict', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { COOKIE_SAMESITE: 'strict' } });
  });
  afterAll(() => t.close());

  it('is SameSite=Strict', async () => {
    const { res } = await browserLogin(t);
    const cookie = theRefreshCookie(res);
    expect(cookie.attributes.get('samesite')).toBe('Strict');
    expect(cookie.attributes.get('httponly')).toBe(true);
    expect(cookie.attributes.get('path')).toBe('/api/v1/auth');
  });
});
