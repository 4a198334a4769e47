import { type AuthTokens, type OAuthRedirect } from '@repo/contracts';
import { freePort } from '@repo/test-support';
import { CookieBrowser, newGitHubUser } from '@repo/test-support/oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testGitHub } from '../support/oauth.js';
import { startTestApp } from '../support/test-app.js';
import { totpCode, World } from '../support/world.js';
import {
  atProviderLogin,
  call,
  errorOf,
  isWeb,
  type OAuthWorld,
  sessionOf,
  signInWith,
  startOAuthWorld,
  WEB,
} from './oauth-world.js';

/**
 * The whole provider sign-in over real HTTP, redirects followed by hand as a browser does: the
 * API's start, a real OpenID Provider (oidc-provider) with its login page, the API's callback,
 * and the web app's session restored from the refresh cookie. GitHub through its stand-in.
 */
describe('sign-in with a provider', () => {
  let w: OAuthWorld;
  let world: World;

  beforeAll(async () => {
    w = await startOAuthWorld();
    world = new World(w.t);
  });
  afterAll(() => w.close());

  it('lists the providers that are on, for the buttons', async () => {
    const res = await fetch(`${w.t.api}/auth/oauth/providers`);
    expect(await res.json()).toEqual([
      { id: 'github', name: 'GitHub' },
      { id: 'google', name: 'Google' },
      { id: 'oidc', name: 'Test ID' },
    ]);
  });

  it('OpenID Connect: a new account, signed in where `next` said; the same account next time', async () => {
    const browser = new CookieBrowser();
    const start = await browser.request(`${w.t.api}/auth/oauth/oidc/start?next=/settings/profile`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(w.op.issuer);
    for (const param of ['state', 'nonce', 'code_challenge'])
      expect(authorize.searchParams.get(param)?.length, param).toBeGreaterThanOrEqual(43);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${w.t.api}/auth/oauth/oidc/callback`);
    const flow = browser.all().find((c) => c.name === 'oauth_flow')!;
    expect(flow).toMatchObject({
      httpOnly: true,
      sameSite: 'lax',
      path: '/api/v1/auth/oauth/oidc/callback',
    });

    const page = await browser.navigate(authorize.href, isWeb);
    const landing = await atProviderLogin(browser, page, 'ada');
    expect(landing.href).toBe(`${WEB}/settings/profile`);
    expect(
      browser.all().some((c) => c.name === 'oauth_flow'),
      'the flow cookie is used up',
    ).toBe(false);
    const session = await sessionOf(w.t, browser);
    expect(session?.user).toMatchObject({
      email: 'ada@example.test',
      name: 'ada',
      emailVerified: true,
      hasPassword: false,
      mfaEnabled: false,
    });

    const again = new CookieBrowser();
    expect((await signInWith(w, again, 'oidc', 'ada')).href).toBe(`${WEB}/dashboard`);
    expect((await sessionOf(w.t, again))?.user.id).toBe(session!.user.id);
  });

  it('Google (its issuer pointed at the local provider): discovery, ID token, a new account', async () => {
    const browser = new CookieBrowser();
    w.op.accounts.set('grace', {
      email: 'Grace@Example.test',
      email_verified: true,
      name: 'Grace',
    });
    expect((await signInWith(w, browser, 'google', 'grace')).href).toBe(`${WEB}/dashboard`);
    expect((await sessionOf(w.t, browser))?.user).toMatchObject({
      email: 'grace@example.test',
      name: 'Grace',
      emailVerified: true,
    });
  });

  it('GitHub (stand-in): the primary verified email of /user/emails, the account id of /user', async () => {
    const gitHub = await testGitHub();
    const user = newGitHubUser({
      name: null,
      emails: [
        { email: 'old@example.test', primary: false, verified: true },
        { email: 'octo-primary@example.test', primary: true, verified: true },
      ],
    });
    gitHub.nextUsers.push(user);
    const browser = new CookieBrowser();
    const done = await browser.navigate(`${w.t.api}/auth/oauth/github/start?next=/room`, isWeb);
    expect(done.url).toBe(`${WEB}/room`);
    expect((await sessionOf(w.t, browser))?.user).toMatchObject({
      email: 'octo-primary@example.test',
      name: user.login,
      emailVerified: true,
      hasPassword: false,
    });
  });

  it('an account with TOTP on still asks for the code: the challenge in the fragment of /login', async () => {
    const user = await world.mfaUser();
    const browser = new CookieBrowser();
    // Link the provider first (from settings), then sign in with it in another browser.
    const link = await call(w.t, browser, user.accessToken, 'POST', '/auth/oauth/oidc/link');
    expect(link.status).toBe(200);
    const page = await browser.navigate(((await link.json()) as OAuthRedirect).url, isWeb);
    expect((await atProviderLogin(browser, page, 'mfa-person')).href).toBe(
      `${WEB}/settings/sign-in?oauth_linked=oidc`,
    );

    const other = new CookieBrowser();
    const landing = await signInWith(w, other, 'oidc', 'mfa-person', '/room');
    expect(`${landing.origin}${landing.pathname}${landing.search}`).toBe(
      `${WEB}/login?next=%2Froom`,
    );
    expect(await sessionOf(w.t, other), 'no session before the code').toBeNull();
    const mfaToken = new URLSearchParams(landing.hash.slice(1)).get('mfa')!;
    const verified = await fetch(`${w.t.api}/auth/verify-mfa`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: WEB },
      body: JSON.stringify({ mfaToken, code: totpCode(user.secret, 1) }),
    });
    expect(verified.status).toBe(200);
    expect(((await verified.json()) as AuthTokens).user.id).toBe(user.id);
  });

  it('consent refused at the provider: the login page says so', async () => {
    const browser = new CookieBrowser();
    const page = await browser.navigate(`${w.t.api}/auth/oauth/oidc/start`, isWeb);
    const landing = await atProviderLogin(browser, page, 'nobody', 'cancel');
    expect(`${landing.origin}${landing.pathname}`).toBe(`${WEB}/login`);
    expect(errorOf(landing)).toBe('access_denied');
    expect(landing.searchParams.get('provider')).toBe('oidc');
    expect(await sessionOf(w.t, browser)).toBeNull();
  });

  it('GitHub down at the token exchange (503): provider_unavailable, no session', async () => {
    const gitHub = await testGitHub();
    gitHub.tokenStatus = 503;
    try {
      const browser = new CookieBrowser();
      const done = await browser.navigate(`${w.t.api}/auth/oauth/github/start`, isWeb);
      expect(errorOf(new URL(done.url))).toBe('provider_unavailable');
      expect(await sessionOf(w.t, browser)).toBeNull();
    } finally {
      gitHub.tokenStatus = undefined;
    }
  });

  it('GitHub refused by the user: access_denied', async () => {
    (await testGitHub()).denyNext = true;
    const done = await new CookieBrowser().navigate(`${w.t.api}/auth/oauth/github/start`, isWeb);
    expect(errorOf(new URL(done.url))).toBe('access_denied');
  });
});

describe('a provider that cannot be reached', () => {
  it('at the start (no discovery document): back to the login page with provider_unavailable', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const t = await startTestApp({
      env: {
        OIDC_ISSUER: closed,
        OIDC_CLIENT_ID: 'app',
        OIDC_CLIENT_SECRET: 'secret',
        OIDC_NAME: 'Down ID',
      },
    });
    try {
      const done = await new CookieBrowser().navigate(`${t.api}/auth/oauth/oidc/start`, isWeb);
      const landing = new URL(done.url);
      expect(`${landing.origin}${landing.pathname}`).toBe(`${WEB}/login`);
      expect(errorOf(landing)).toBe('provider_unavailable');
    } finally {
      await t.close();
    }
  });
});
