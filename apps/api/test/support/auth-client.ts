import { type AuthTokens, type OutboxMessage, REFRESH_COOKIE } from '@repo/contracts';
import { type Credentials, newCredentials } from '@repo/test-support';
import { expect } from 'vitest';

/** The test app's default CORS origin: requests with it behave as a browser's. */
/** A running API: its base URL with the prefix (a TestApp is one). */
export interface ApiTarget {
  api: string;
}

export const BROWSER_ORIGIN = 'http://localhost:3000';

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A JSON request, as the web app sends it (with its Origin unless told otherwise). */
export const post = (
  t: ApiTarget,
  path: string,
  body: unknown = {},
  headers: Record<string, string> = {},
) =>
  fetch(`${t.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BROWSER_ORIGIN, ...headers },
    body: JSON.stringify(body),
  });

export const get = (t: ApiTarget, path: string, headers: Record<string, string> = {}) =>
  fetch(`${t.api}${path}`, { headers });

/** `refresh_token=…` from a response's Set-Cookie, ready to send back in a Cookie header. */
export function refreshCookie(res: Response): string | undefined {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${REFRESH_COOKIE}=`));
  const pair = header?.split(';')[0];
  return pair && pair !== `${REFRESH_COOKIE}=` ? pair : undefined;
}

/** The newest email to `to` in the dev outbox (waits for it: some are written in the background). */
export async function lastEmail(
  t: ApiTarget,
  to: string,
  subject?: RegExp,
  timeoutMs = 5_000,
): Promise<OutboxMessage> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const res = await get(t, `/dev/outbox?to=${encodeURIComponent(to)}`);
    const found = ((await res.json()) as OutboxMessage[]).find(
      (m) => !subject || subject.test(m.subject),
    );
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No email to ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const tokenOf = (link: string | null) => new URL(link!).searchParams.get('token')!;

/**
 * Registers; returns the verification email. Registration ends after its answer (202 whether or
 * not the address had an account): the account exists once this email does.
 */
export async function registerUnverified(
  t: ApiTarget,
  credentials: Credentials,
): Promise<OutboxMessage> {
  const res = await post(t, '/auth/register', credentials);
  expect(res.status).toBe(202);
  return lastEmail(t, credentials.email, /Confirm/);
}

/** Registers and confirms the email through the mailed link, as a user would. */
export async function registerVerified(
  t: ApiTarget,
  credentials = newCredentials(),
): Promise<Credentials> {
  const email = await registerUnverified(t, credentials);
  expect((await post(t, '/auth/verify-email', { token: tokenOf(email.link) })).status).toBe(200);
  return credentials;
}

export interface Session {
  accessToken: string;
  /** `refresh_token=…` */
  cookie: string;
  body: AuthTokens;
}

/** Logs in as a browser: the refresh token comes back as a cookie. */
export async function login(
  t: ApiTarget,
  credentials: Pick<Credentials, 'email' | 'password'>,
): Promise<Session> {
  const res = await post(t, '/auth/login', {
    email: credentials.email,
    password: credentials.password,
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as AuthTokens;
  const cookie = refreshCookie(res);
  expect(cookie).toBeDefined();
  return { accessToken: body.accessToken, cookie: cookie!, body };
}

/** A refresh as the browser sends it: the cookie and an empty JSON body. */
export const refresh = (t: ApiTarget, cookie: string) => post(t, '/auth/refresh', {}, { cookie });
