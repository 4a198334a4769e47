import { API_PREFIX, oauthCallbackPath } from '@repo/contracts';
import {
  CookieBrowser,
  type ForgingProvider,
  startForgingProvider,
} from '@repo/test-support/oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Config } from '../../src/core/config/config.js';
import { parseEnv } from '../../src/core/config/env.js';
import { SecretBox } from '../../src/core/crypto/secret-box.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorOf, isWeb, type OAuthWorld, sessionOf, startOAuthWorld, WEB } from './oauth-world.js';

/** The users table's row count: an attack must create no account. */
const userCount = async (t: TestApp) => {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0]!.n;
  } finally {
    await client.end();
  }
};

/** Up to the callback: the browser has the flow cookie, the test holds the callback URL. */
async function upToCallback(w: OAuthWorld, browser: CookieBrowser, login: string) {
  const atCallback = (url: URL) => url.pathname === oauthCallbackPath('oidc');
  const page = await browser.navigate(`${w.t.api}/auth/oauth/oidc/start`, atCallback);
  const html = await page.response!.text();
  const action = new URL(/action="([^"]+)"/.exec(html)![1]!, page.url).href;
  const stopped = await browser.navigate(action, atCallback, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login, password: 'x', action: 'login' }).toString(),
  });
  return new URL(stopped.url);
}

describe('attacks on the provider sign-in (real OpenID Provider)', () => {
  let w: OAuthWorld;
  beforeAll(async () => {
    w = await startOAuthWorld();
  });
  afterAll(() => w.close());

  it('a callback without the flow cookie (another browser: login CSRF) signs nobody in', async () => {
    const callback = await upToCallback(w, new CookieBrowser(), 'csrf-attacker');
    const victim = new CookieBrowser();
    const before = await userCount(w.t);
    const done = await victim.navigate(callback.href, isWeb);
    expect(errorOf(new URL(done.url))).toBe('state_mismatch');
    expect(await sessionOf(w.t, victim)).toBeNull();
    expect(await userCount(w.t)).toBe(before);
  });

  it('a callback whose state is not the flow’s, or has none, is refused', async () => {
    for (const state of ['x'.repeat(43), null]) {
      const browser = new CookieBrowser();
      const callback = await upToCallback(w, browser, `state-${String(state)}`);
      if (state === null) callback.searchParams.delete('state');
      else callback.searchParams.set('state', state);
      const done = await browser.navigate(callback.href, isWeb);
      expect(errorOf(new URL(done.url))).toBe('state_mismatch');
      expect(await sessionOf(w.t, browser)).toBeNull();
    }
  });

  it('another flow’s callback in a browser with a flow of its own: state mismatch', async () => {
    const attacker = await upToCallback(w, new CookieBrowser(), 'mixup-attacker');
    const victim = new CookieBrowser();
    await upToCallback(w, victim, 'mixup-victim');
    const done = await victim.navigate(attacker.href, isWeb);
    expect(errorOf(new URL(done.url))).toBe('state_mismatch');
    expect(await sessionOf(w.t, victim)).toBeNull();
  });

  it('a replayed code (with a copy of the flow cookie) gets no second session', async () => {
    const browser = new CookieBrowser();
    const callback = await upToCallback(w, browser, 'replayed');
    const flowCookie = browser.cookie(callback.href, 'oauth_flow')!;
    const first = await browser.navigate(callback.href, isWeb);
    expect(new URL(first.url).href).toBe(`${WEB}/dashboard`);

    const replay = await fetch(callback, {
      redirect: 'manual',
      headers: { cookie: `oauth_flow=${flowCookie.value}` },
    });
    const landing = new URL(replay.headers.get('location')!);
    expect(errorOf(landing)).toBe('provider_error');
    expect(replay.headers.getSetCookie().some((c) => c.startsWith('refresh_token='))).toBe(false);
  });

  it('an expired flow (sealed 10 minutes ago) is refused as such', async () => {
    const box = new SecretBox(new Config(parseEnv({})));
    const browser = new CookieBrowser();
    const callback = await upToCallback(w, browser, 'slow');
    const flow = browser.cookie(callback.href, 'oauth_flow')!;
    const sealed = JSON.parse(box.decrypt(decodeURIComponent(flow.value))) as object;
    const expired = box.encrypt(JSON.stringify({ ...sealed, expiresAt: Date.now() - 1 }));
    const res = await fetch(callback, {
      redirect: 'manual',
      headers: { cookie: `oauth_flow=${encodeURIComponent(expired)}` },
    });
    expect(errorOf(new URL(res.headers.get('location')!))).toBe('flow_expired');
  });

  it('a tampered flow cookie is no flow at all', async () => {
    const browser = new CookieBrowser();
    const callback = await upToCallback(w, browser, 'tamper');
    const flow = browser.cookie(callback.href, 'oauth_flow')!;
    const tampered = `${flow.value.slice(0, -4)}AAAA`;
    const res = await fetch(callback, {
      redirect: 'manual',
      headers: { cookie: `oauth_flow=${tampered}` },
    });
    expect(errorOf(new URL(res.headers.get('location')!))).toBe('state_mismatch');
  });

  it('a redirect_uri changed in the authorization request is refused by the provider', async () => {
    const browser = new CookieBrowser();
    const start = await browser.request(`${w.t.api}/auth/oauth/oidc/start`);
    const authorize = new URL(start.headers.get('location')!);
    authorize.searchParams.set('redirect_uri', 'https://evil.example/steal');
    const res = await browser.request(authorize.href);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('redirect_uri');
  });

  it('`next` never leads off the web app (open redirect)', async () => {
    const attempts = [
      '//evil.example',
      'https://evil.example/x',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      '/%0d%0aLocation:%20https://evil.example',
      'evil.example',
    ];
    for (const next of attempts) {
      const browser = new CookieBrowser();
      const done = await browser.navigate(
        `${w.t.api}/auth/oauth/github/start?next=${encodeURIComponent(next)}`,
        isWeb,
      );
      const landing = new URL(done.url);
      expect(landing.origin, next).toBe(WEB);
      if (!next.startsWith('/%0d')) expect(landing.pathname, next).toBe('/dashboard');
    }
  });
});

describe('attacks with forged ID tokens (a deliberately malicious provider)', () => {
  let t: TestApp;
  let forger: ForgingProvider;

  beforeAll(async () => {
    forger = await startForgingProvider();
    t = await startTestApp({
      env: {
        OIDC_ISSUER: forger.issuer,
        OIDC_CLIENT_ID: forger.clientId,
        OIDC_CLIENT_SECRET: forger.clientSecret,
        OIDC_NAME: 'Forger',
        RATE_LIMIT_AUTH_PER_IP: '10000',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await forger.close();
  });

  const signIn = async () => {
    const browser = new CookieBrowser();
    const done = await browser.navigate(`${t.api}/auth/oauth/oidc/start`, isWeb);
    return { landing: new URL(done.url), session: await sessionOf(t, browser) };
  };

  it('an honest token from it signs in (so the refusals below are the checks at work)', async () => {
    forger.forgery = {};
    const { landing, session } = await signIn();
    expect(landing.href).toBe(`${WEB}/dashboard`);
    expect(session?.user.emailVerified).toBe(true);
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['another audience', () => ({ aud: 'someone-else' })],
    ['another issuer', () => ({ iss: 'https://evil.example' })],
    ['expired', () => ({ iat: now() - 3600, exp: now() - 1800 })],
    ['another nonce', () => ({ nonce: 'not-the-flows-nonce-0000000000000000000000' })],
  ])('an ID token with %s: provider_error, no session, no account', async (_what, forgery) => {
    forger.forgery = forgery();
    const before = await userCount(t);
    const { landing, session } = await signIn();
    expect(`${landing.origin}${landing.pathname}`).toBe(`${WEB}/login`);
    expect(errorOf(landing)).toBe('provider_error');
    expect(session).toBeNull();
    expect(await userCount(t)).toBe(before);
  });

  it('the flow cookie goes to the callback only', async () => {
    const start = await fetch(`${t.api}/auth/oauth/oidc/start`, { redirect: 'manual' });
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith('oauth_flow='))!;
    expect(cookie).toContain(`Path=${API_PREFIX}/auth/oauth/oidc/callback`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Max-Age=600');
  });
});
