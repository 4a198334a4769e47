import { type AuthTokens, type LinkedAccount, REFRESH_COOKIE } from '@repo/contracts';
import { freePort } from '@repo/test-support';
import {
  CookieBrowser,
  type RunningOidcProvider,
  startOidcProvider,
} from '@repo/test-support/oauth';
import { expect } from 'vitest';
import { BROWSER_ORIGIN } from '../support/auth-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The web app's origin in the test apps (WEB_ORIGIN's default): the flows end there. */
export const WEB = BROWSER_ORIGIN;
export const isWeb = (url: URL) => url.origin === WEB;

/** A test app with the generic OIDC provider and Google both on a real local OpenID Provider. */
export interface OAuthWorld {
  t: TestApp;
  op: RunningOidcProvider;
  close(): Promise<void>;
}

export async function startOAuthWorld(env: Record<string, string> = {}): Promise<OAuthWorld> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const t = await startTestApp({
    env: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: 'starter-app',
      OIDC_CLIENT_SECRET: 'starter-app-secret',
      OIDC_NAME: 'Test ID',
      // Google's issuer pointed at the local provider: the Google path, discovery included.
      GOOGLE_ISSUER: issuer,
      GOOGLE_CLIENT_ID: 'starter-google',
      GOOGLE_CLIENT_SECRET: 'starter-google-secret',
      RATE_LIMIT_AUTH_PER_IP: '10000',
      RATE_LIMIT_LOGIN_PER_IP: '10000',
      RATE_LIMIT_LOGIN_PER_EMAIL: '10000',
      ...env,
    },
  });
  const op = await startOidcProvider({
    port,
    clients: [
      {
        clientId: 'starter-app',
        clientSecret: 'starter-app-secret',
        redirectUris: [`${t.api}/auth/oauth/oidc/callback`],
      },
      {
        clientId: 'starter-google',
        clientSecret: 'starter-google-secret',
        redirectUris: [`${t.api}/auth/oauth/google/callback`],
      },
    ],
  });
  return {
    t,
    op,
    close: async () => {
      await op.close();
      await t.close();
    },
  };
}

/** The action of the provider's login form on the page a navigation ended on. */
async function loginFormOf(page: { url: string; response?: Response }) {
  expect(page.response?.status, `the provider's login page (at ${page.url})`).toBe(200);
  const html = await page.response!.text();
  const action = /action="([^"]+)"/.exec(html)?.[1];
  expect(action, html.slice(0, 300)).toBeDefined();
  return new URL(action!.replaceAll('&amp;', '&'), page.url).href;
}

/**
 * Signs in at the provider's login page (or cancels there), then follows the redirects back
 * through the API's callback: the web app's URL where it lands.
 */
export async function atProviderLogin(
  browser: CookieBrowser,
  page: { url: string; response?: Response },
  login: string,
  action: 'login' | 'cancel' = 'login',
): Promise<URL> {
  const done = await browser.navigate(await loginFormOf(page), isWeb, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login, password: 'any password', action }).toString(),
  });
  expect(done.response, `stopped at ${done.url} instead of the web app`).toBeUndefined();
  return new URL(done.url);
}

/** A whole sign-in with a provider of the local OpenID Provider: where the web app lands. */
export async function signInWith(
  w: OAuthWorld,
  browser: CookieBrowser,
  provider: 'oidc' | 'google',
  login: string,
  next?: string,
): Promise<URL> {
  const query = next === undefined ? '' : `?next=${encodeURIComponent(next)}`;
  const page = await browser.navigate(`${w.t.api}/auth/oauth/${provider}/start${query}`, isWeb);
  return atProviderLogin(browser, page, login);
}

/** What the web app does on load: a refresh through the cookie; the session's tokens, or null. */
export async function sessionOf(t: TestApp, browser: CookieBrowser): Promise<AuthTokens | null> {
  if (!browser.cookie(`${t.api}/auth/refresh`, REFRESH_COOKIE)) return null;
  const res = await browser.request(`${t.api}/auth/refresh`, {
    method: 'POST',
    headers: { origin: WEB, 'content-type': 'application/json' },
    body: '{}',
  });
  return res.status === 200 ? ((await res.json()) as AuthTokens) : null;
}

/** A call with the session's access token, through the browser (its cookies go too). */
export async function call(
  t: TestApp,
  browser: CookieBrowser,
  accessToken: string,
  method: string,
  path: string,
) {
  return browser.request(`${t.api}${path}`, {
    method,
    headers: {
      origin: WEB,
      authorization: `Bearer ${accessToken}`,
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
}

export async function linkedAccounts(t: TestApp, accessToken: string) {
  const res = await fetch(`${t.api}/auth/linked-accounts`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as LinkedAccount[];
}

/** The oauth_error code of a landing on the web app, if any. */
export const errorOf = (landing: URL) => landing.searchParams.get('oauth_error');
