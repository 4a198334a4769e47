import { REFRESH_COOKIE } from '@repo/contracts';
import { evidenceOf, headerValues, probe, ProbeError, type ProbeResponse } from './http.js';
import { type DoctorSetup, type Evidence } from './model.js';

/**
 * One login per run, shared by the cookie and the WebSocket checks.
 *
 * Why shared: the API allows RATE_LIMIT_LOGIN_PER_EMAIL (5) logins per minute and email, so two
 * logins a run would make the third run within a minute fail with 429. Why the cookie check waits
 * for the others before it logs out: logout ends the session, and the API then closes every
 * socket of that session with 4401 — the idle WebSocket would be cut off and look like a proxy
 * timeout.
 */

/** What the browser sends with the login: JSON and the web origin (so the API sets the cookie). */
export const loginHeaders = (origin: string) => ({
  origin,
  'content-type': 'application/json',
});

export type LoginOutcome =
  | {
      ok: true;
      accessToken: string;
      /** The Set-Cookie lines of the answer, with the values (never print them: see redact). */
      setCookies: string[];
      res: ProbeResponse;
      evidence: Evidence;
    }
  | {
      ok: false;
      /** The answer, when there was one (401 invalid_credentials, 403 email_not_verified, …). */
      res?: ProbeResponse;
      status?: number;
      /** The problem code of the answer, or `mfa_required`, or the network error code. */
      problem?: string;
      error?: ProbeError;
      evidence: Evidence;
    };

export interface SessionUse {
  login: Promise<LoginOutcome>;
  /**
   * Resolves once every other user of this session is done (or after `maxMs`): the cookie check
   * calls it before it logs out.
   */
  othersDone(maxMs: number): Promise<void>;
  /** The refresh cookie changed (a refresh rotated it): the one to log out with. */
  rotated(cookie: SetCookie): void;
  /** Marks the session ended (logged out): later users get a fresh login. */
  ended(): void;
  /** This user is done with the session; the last one logs it out if nobody did. */
  done(): Promise<void>;
}

interface Shared {
  login: Promise<LoginOutcome>;
  users: number;
  ended: boolean;
  /** The current refresh cookie, once a refresh rotated the one of the login. */
  cookie?: SetCookie;
  /** Wakes those waiting in othersDone when a user leaves. */
  waiters: Set<() => void>;
}

const sessions = new WeakMap<DoctorSetup, Shared>();

/** A share of this run's login (made at the first call, with the first web origin). */
export function useSession(setup: DoctorSetup): SessionUse | undefined {
  const credentials = setup.credentials;
  if (!credentials) return undefined;
  let shared = sessions.get(setup);
  if (!shared || shared.ended) {
    shared = { login: logIn(setup), users: 0, ended: false, waiters: new Set() };
    sessions.set(setup, shared);
  }
  const s = shared;
  s.users++;
  let left = false;
  return {
    login: s.login,
    othersDone: (maxMs) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (s.users > (left ? 0 : 1)) return;
          clearTimeout(timer);
          s.waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          s.waiters.delete(check);
          resolve();
        }, maxMs);
        s.waiters.add(check);
        check();
      }),
    rotated: (cookie) => {
      s.cookie = cookie;
    },
    ended: () => {
      s.ended = true;
      if (sessions.get(setup) === s) sessions.delete(setup);
    },
    done: async () => {
      if (left) return;
      left = true;
      s.users--;
      for (const wake of [...s.waiters]) wake();
      if (s.users === 0 && !s.ended) {
        s.ended = true;
        if (sessions.get(setup) === s) sessions.delete(setup);
        await logOutQuietly(setup, await s.login, s.cookie);
      }
    },
  };
}

async function logIn(setup: DoctorSetup): Promise<LoginOutcome> {
  const { email, password } = setup.credentials!;
  const url = `${setup.apiUrl}/auth/login`;
  const headers = loginHeaders(setup.origins[0]!);
  const request = { method: 'POST', headers, timeoutMs: setup.timeoutMs };
  let res: ProbeResponse;
  try {
    res = await probe(url, { ...request, body: JSON.stringify({ email, password }) });
  } catch (error) {
    const failure =
      error instanceof ProbeError ? error : new ProbeError('EUNKNOWN', String(error), 'http');
    return {
      ok: false,
      error: failure,
      problem: failure.code,
      evidence: { ...evidenceOf('POST', url, headers, undefined), note: failure.message },
    };
  }
  const evidence = evidenceOf('POST', url, headers, res, (n) => n === 'retry-after');
  const body = jsonOf(res.body);
  const accessToken = body?.accessToken;
  if (res.status === 200 && typeof accessToken === 'string') {
    return { ok: true, accessToken, setCookies: headerValues(res, 'set-cookie'), res, evidence };
  }
  const problem =
    body?.mfaRequired === true
      ? 'mfa_required'
      : typeof body?.code === 'string'
        ? body.code
        : undefined;
  return {
    ok: false,
    res,
    status: res.status,
    ...(problem ? { problem } : {}),
    evidence: { ...evidence, ...(problem ? { note: `problem code: ${problem}` } : {}) },
  };
}

/**
 * Ends a session nobody logged out (best effort: the doctor leaves no session behind). Without
 * Origin, as a script: the logout check may have failed because the origin is refused.
 */
async function logOutQuietly(setup: DoctorSetup, login: LoginOutcome, latest?: SetCookie) {
  if (!login.ok) return;
  const cookie = latest ?? refreshCookieOf(login.setCookies);
  if (!cookie?.value) return;
  await probe(`${setup.apiUrl}/auth/logout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `${cookie.name}=${cookie.value}` },
    body: '{}',
    timeoutMs: setup.timeoutMs,
  }).catch(() => undefined);
}

export function jsonOf(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A Set-Cookie line, parsed the way a browser reads it. */
export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lower-cased; valueless ones (HttpOnly, Secure) map to ''. */
  attributes: Map<string, string>;
  /** The line as sent, with the value replaced by … (safe to print). */
  redacted: string;
}

function parseSetCookie(line: string): SetCookie {
  const [pair = '', ...rest] = line.split(';');
  const eq = pair.indexOf('=');
  const name = (eq < 0 ? pair : pair.slice(0, eq)).trim();
  const value = eq < 0 ? '' : pair.slice(eq + 1).trim();
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const i = part.indexOf('=');
    const key = (i < 0 ? part : part.slice(0, i)).trim().toLowerCase();
    if (key) attributes.set(key, i < 0 ? '' : part.slice(i + 1).trim());
  }
  const redactedValue = value ? '…' : '';
  return { name, value, attributes, redacted: [`${name}=${redactedValue}`, ...rest].join(';') };
}

/** The refresh cookie among Set-Cookie lines (the last one wins, as in a browser). */
export function refreshCookieOf(lines: string[]): SetCookie | undefined {
  return lines
    .map(parseSetCookie)
    .filter((c) => c.name === REFRESH_COOKIE)
    .at(-1);
}

/** Set-Cookie headers with every value replaced by …: evidence never shows a token. */
export const redactSetCookies = (headers: [string, string][]): [string, string][] =>
  headers.map(([n, v]) => (n === 'set-cookie' ? [n, parseSetCookie(v).redacted] : [n, v]));
