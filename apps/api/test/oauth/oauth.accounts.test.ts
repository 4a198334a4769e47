import { type LinkedAccount } from '@repo/contracts';
import { CookieBrowser, newGitHubUser } from '@repo/test-support/oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testGitHub } from '../support/oauth.js';
import { World } from '../support/world.js';
import {
  atProviderLogin,
  call,
  errorOf,
  isWeb,
  linkedAccounts,
  type OAuthWorld,
  sessionOf,
  signInWith,
  startOAuthWorld,
  WEB,
} from './oauth-world.js';

/**
 * The account rules of a provider sign-in: who gets an account, when an email is trusted, that
 * an existing account is never taken over by a matching email, and that the last way in stays.
 */
describe('provider accounts', () => {
  let w: OAuthWorld;
  let world: World;

  beforeAll(async () => {
    w = await startOAuthWorld();
    world = new World(w.t);
  });
  afterAll(() => w.close());

  it('a new identity with a verified email: a new account, its email verified', async () => {
    w.op.accounts.set('verified-new', { email: 'verified-new@example.test', email_verified: true });
    const browser = new CookieBrowser();
    expect((await signInWith(w, browser, 'oidc', 'verified-new')).href).toBe(`${WEB}/dashboard`);
    const session = await sessionOf(w.t, browser);
    expect(session?.user).toMatchObject({ emailVerified: true, hasPassword: false });
    expect(await linkedAccounts(w.t, session!.accessToken)).toMatchObject([
      { provider: 'oidc', providerName: 'Test ID', email: 'verified-new@example.test' },
    ]);
  });

  it('a new identity with an unverified email: an account not verified, the link mailed, no session yet', async () => {
    w.op.accounts.set('unverified-new', {
      email: 'unverified-new@example.test',
      email_verified: false,
    });
    const browser = new CookieBrowser();
    const landing = await signInWith(w, browser, 'oidc', 'unverified-new');
    expect(errorOf(landing)).toBe('email_not_verified');
    expect(await sessionOf(w.t, browser)).toBeNull();
    const token = await world.mailedToken('unverified-new@example.test', /Confirm/);
    const verified = await fetch(`${w.t.api}/auth/verify-email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: WEB },
      body: JSON.stringify({ token }),
    });
    expect(await verified.json()).toMatchObject({ emailVerified: true, hasPassword: false });
    // Confirmed: the same provider account now signs in.
    const again = new CookieBrowser();
    expect((await signInWith(w, again, 'oidc', 'unverified-new')).href).toBe(`${WEB}/dashboard`);
  });

  it('a verified email of an existing account is not linked silently: its owner logs in, then links', async () => {
    const owner = await world.user();
    w.op.accounts.set('same-email', { email: owner.email.toUpperCase(), email_verified: true });
    const browser = new CookieBrowser();
    const landing = await signInWith(w, browser, 'oidc', 'same-email');
    expect(`${landing.origin}${landing.pathname}`).toBe(`${WEB}/login`);
    expect(errorOf(landing)).toBe('account_exists');
    expect(landing.searchParams.get('provider')).toBe('oidc');
    expect(landing.searchParams.get('next')).toBe('/settings/sign-in?oauth_link=pending');
    expect(await sessionOf(w.t, browser), 'not signed in').toBeNull();
    expect(await linkedAccounts(w.t, owner.accessToken), 'not linked').toEqual([]);

    // The owner logs in with the password in that browser, and the web app links what waits.
    const login = await browser.request(`${w.t.api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: WEB },
      body: JSON.stringify({ email: owner.email, password: owner.password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const linked = await call(w.t, browser, accessToken, 'POST', '/auth/oauth/link-pending');
    expect(linked.status).toBe(200);
    expect(await linked.json()).toMatchObject({ provider: 'oidc', email: owner.email });

    const later = new CookieBrowser();
    expect((await signInWith(w, later, 'oidc', 'same-email')).href).toBe(`${WEB}/dashboard`);
    expect((await sessionOf(w.t, later))?.user.id).toBe(owner.id);
  });

  it('an unverified email that matches an account neither signs in nor links', async () => {
    const owner = await world.user();
    w.op.accounts.set('squatter', { email: owner.email, email_verified: false });
    const browser = new CookieBrowser();
    const landing = await signInWith(w, browser, 'oidc', 'squatter');
    expect(errorOf(landing)).toBe('email_unverified');
    expect(await sessionOf(w.t, browser)).toBeNull();
    expect(browser.all().some((c) => c.name === 'oauth_pending')).toBe(false);
    expect(await linkedAccounts(w.t, owner.accessToken)).toEqual([]);
  });

  it('GitHub: an unverified primary email is not trusted', async () => {
    (await testGitHub()).nextUsers.push(
      newGitHubUser({
        emails: [{ email: 'gh-unverified@example.test', primary: true, verified: false }],
      }),
    );
    const done = await new CookieBrowser().navigate(`${w.t.api}/auth/oauth/github/start`, isWeb);
    expect(errorOf(new URL(done.url))).toBe('email_not_verified');
    // The confirmation link is mailed (after the response: the outbox is polled).
    expect(await world.mailedToken('gh-unverified@example.test', /Confirm/)).toBeTruthy();
  });

  it('unlinking never removes the last way in; with another one it does', async () => {
    const browser = new CookieBrowser();
    (await testGitHub()).nextUsers.push(newGitHubUser());
    await browser.navigate(`${w.t.api}/auth/oauth/github/start`, isWeb);
    const { accessToken } = (await sessionOf(w.t, browser))!;
    const [gitHub] = await linkedAccounts(w.t, accessToken);
    const unlink = (account: LinkedAccount) =>
      call(w.t, browser, accessToken, 'DELETE', `/auth/linked-accounts/${account.id}`);

    const refused = await unlink(gitHub!);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'conflict' });

    // Link a second provider from settings; then the first may go, and the second may not.
    const link = await call(w.t, browser, accessToken, 'POST', '/auth/oauth/oidc/link');
    const page = await browser.navigate(((await link.json()) as { url: string }).url, isWeb);
    expect((await atProviderLogin(browser, page, 'second-way')).href).toBe(
      `${WEB}/settings/sign-in?oauth_linked=oidc`,
    );
    const accounts = await linkedAccounts(w.t, accessToken);
    expect(accounts.map((a) => a.provider)).toEqual(['github', 'oidc']);
    expect((await unlink(gitHub!)).status).toBe(204);
    expect((await unlink(accounts[1]!)).status).toBe(409);
    expect(await linkedAccounts(w.t, accessToken)).toHaveLength(1);
  });

  it('two unlinks at once leave one way in', async () => {
    const user = await world.user();
    const browser = new CookieBrowser();
    const link = await call(w.t, browser, user.accessToken, 'POST', '/auth/oauth/oidc/link');
    const page = await browser.navigate(((await link.json()) as { url: string }).url, isWeb);
    await atProviderLogin(browser, page, `race-${user.id}`);
    // A GitHub-made account has no password: its two identities are its only ways in.
    const gitHubOnly = new CookieBrowser();
    (await testGitHub()).nextUsers.push(newGitHubUser());
    await gitHubOnly.navigate(`${w.t.api}/auth/oauth/github/start`, isWeb);
    const { accessToken } = (await sessionOf(w.t, gitHubOnly))!;
    const second = await call(w.t, gitHubOnly, accessToken, 'POST', '/auth/oauth/oidc/link');
    const secondPage = await gitHubOnly.navigate(
      ((await second.json()) as { url: string }).url,
      isWeb,
    );
    await atProviderLogin(gitHubOnly, secondPage, `race-second-${user.id}`);
    const accounts = await linkedAccounts(w.t, accessToken);
    expect(accounts).toHaveLength(2);
    const statuses = await Promise.all(
      accounts.map((a) =>
        call(w.t, gitHubOnly, accessToken, 'DELETE', `/auth/linked-accounts/${a.id}`).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses.sort()).toEqual([204, 409]);
    expect(await linkedAccounts(w.t, accessToken)).toHaveLength(1);
  });

  it('a provider account linked to someone else cannot be linked again', async () => {
    const first = await world.user();
    const second = await world.user();
    for (const [user, expected] of [
      [first, `${WEB}/settings/sign-in?oauth_linked=oidc`],
      [second, `${WEB}/settings/sign-in?oauth_error=identity_taken&provider=oidc`],
    ] as const) {
      const browser = new CookieBrowser();
      const link = await call(w.t, browser, user.accessToken, 'POST', '/auth/oauth/oidc/link');
      const page = await browser.navigate(((await link.json()) as { url: string }).url, isWeb);
      expect((await atProviderLogin(browser, page, `shared-${first.id}`)).href).toBe(expected);
    }
    expect(await linkedAccounts(w.t, second.accessToken)).toEqual([]);
  });
});
