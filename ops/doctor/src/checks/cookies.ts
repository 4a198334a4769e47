import { REFRESH_COOKIE } from '@repo/contracts';
import { evidenceOf, headerValues, probe, ProbeError, type ProbeResponse } from '../http.js';
import {
  type CheckResult,
  type DoctorSetup,
  type Evidence,
  finding,
  pass,
  skip,
} from '../model.js';
import {
  jsonOf,
  type LoginOutcome,
  loginHeaders,
  redactSetCookies,
  refreshCookieOf,
  type SetCookie,
  useSession,
} from '../session.js';
import { isLoopback, parseUrl, siteOf } from '../sites.js';

const AREA = 'cookies';

/**
 * The refresh cookie as the browser gets and uses it: login from the web origin, the flags of its
 * Set-Cookie, a refresh through the cookie, logout. Tokens and cookie values never appear in a
 * result: evidence shows them as …
 */
export async function cookieChecks(setup: DoctorSetup): Promise<CheckResult[]> {
  const session = useSession(setup);
  if (!session) {
    return [
      skip(
        AREA,
        'cookies',
        'no account to log in with: pass --user and --password of a verified account',
      ),
    ];
  }
  try {
    const login = await session.login;
    if (!login.ok) return [loginFailed(setup, login)];
    const results: CheckResult[] = [
      pass(AREA, 'login', `200 as ${setup.credentials!.email}, from ${setup.origins[0]}`, {
        ms: login.res.timings.totalMs,
      }),
    ];
    const cookie = refreshCookieOf(login.setCookies);
    const loginEvidence: Evidence = {
      ...login.evidence,
      headers: redactSetCookies(login.res.headers.filter(([n]) => n === 'set-cookie')),
    };
    if (!cookie?.value) {
      results.push(
        finding(
          'cookie_not_set',
          'refresh cookie',
          login.setCookies.length
            ? `the login answer sets no ${REFRESH_COOKIE} cookie`
            : 'the login answer has no Set-Cookie header',
          { evidence: [loginEvidence] },
        ),
      );
      return results;
    }
    results.push(...flagChecks(setup, cookie, loginEvidence));

    const refreshed = await refreshCheck(setup, cookie);
    results.push(refreshed.result);
    if (refreshed.cookie) session.rotated(refreshed.cookie);
    // Logout ends the session, and with it the WebSocket checks' sockets: wait for them.
    const idle = typeof setup.idleMs === 'number' ? setup.idleMs : 600_000;
    await session.othersDone(idle + 10 * setup.timeoutMs);
    const logout = await logoutCheck(setup, refreshed.cookie ?? cookie);
    results.push(logout);
    // Otherwise the session is still on: the last user logs it out quietly.
    if (logout.status === 'pass') session.ended();
    return results;
  } finally {
    await session.done();
  }
}

function loginFailed(setup: DoctorSetup, login: Extract<LoginOutcome, { ok: false }>): CheckResult {
  const name = 'login';
  const what = login.error
    ? `${login.error.code}: ${login.error.message}`
    : `${login.status}${login.problem ? ` ${login.problem}` : ''}`;
  const refused = login.status === 401 || login.status === 403;
  if (setup.credentials?.demo && refused && login.problem !== 'mfa_required') {
    return skip(
      AREA,
      name,
      `the demo user does not exist (${what}): \`pnpm --filter api db:seed\`, or pass --user/--password`,
    );
  }
  const detail =
    login.problem === 'mfa_required'
      ? `${setup.credentials!.email} has MFA on: the doctor cannot answer it`
      : login.status === 429
        ? `rate limited (${what}): the API allows a few logins per minute and email`
        : `could not log in as ${setup.credentials!.email} (${what})`;
  return finding('cookie_login_failed', name, detail, {
    evidence: [login.evidence],
    ...(login.problem === 'mfa_required'
      ? { fix: 'Pass --user and --password of a verified account without MFA.' }
      : {}),
  });
}

/** The Set-Cookie flags against the origins: what the browser keeps, and where it sends it. */
function flagChecks(setup: DoctorSetup, cookie: SetCookie, evidence: Evidence): CheckResult[] {
  const name = 'refresh cookie';
  const api = parseUrl(setup.apiUrl)!;
  const sameSite = (cookie.attributes.get('samesite') ?? 'lax').toLowerCase();
  const secure = cookie.attributes.has('secure');
  const httpOnly = cookie.attributes.has('httponly');
  const extra: Partial<CheckResult> = { evidence: [evidence], area: AREA };
  const problems: CheckResult[] = [];

  const domain = cookie.attributes.get('domain')?.replace(/^\./, '').toLowerCase();
  if (domain && api.hostname !== domain && !api.hostname.endsWith(`.${domain}`)) {
    problems.push(
      finding(
        'cookie_not_set',
        name,
        `Domain=${domain} does not match ${api.hostname}: the browser rejects the cookie`,
        extra,
      ),
    );
  }
  if (sameSite === 'none' && !secure) {
    problems.push(
      finding(
        'cookie_samesite_none_without_secure',
        name,
        'SameSite=None without Secure: the browser rejects the cookie',
        extra,
      ),
    );
  }
  if (!httpOnly) {
    problems.push(
      finding(
        'cookie_not_http_only',
        name,
        'no HttpOnly: any script on the page can read it',
        extra,
      ),
    );
  }
  if (secure && api.protocol === 'http:' && !isLoopback(api)) {
    problems.push(
      finding(
        'config_cookie_secure_on_http',
        name,
        `Secure, but the API ${api.origin} is plain http: the browser drops the cookie`,
        extra,
      ),
    );
  }
  for (const origin of setup.origins) {
    const page = parseUrl(origin);
    if (page && siteOf(page) !== siteOf(api) && sameSite !== 'none') {
      problems.push(
        finding(
          'config_cookie_cross_site',
          `refresh cookie for ${origin}`,
          `SameSite=${sameSite}, but ${siteOf(page)} and ${siteOf(api)} are different sites: the browser does not send it`,
          extra,
        ),
      );
    }
  }
  if (problems.length > 0) return problems;
  const flags = [
    'HttpOnly',
    ...(secure ? ['Secure'] : []),
    `SameSite=${sameSite[0]!.toUpperCase()}${sameSite.slice(1)}`,
    ...(cookie.attributes.has('path') ? [`Path=${cookie.attributes.get('path')}`] : []),
  ];
  return [pass(AREA, name, flags.join(', '), { evidence: [evidence] })];
}

/** Whether the browser sends a cookie of this Path to a request path (RFC 6265 path-match). */
function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (cookiePath === requestPath) return true;
  return (
    requestPath.startsWith(cookiePath) &&
    (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/')
  );
}

interface Sent {
  res?: ProbeResponse;
  error?: ProbeError;
  evidence: Evidence;
}

/** A POST to a cookie route, as the web app sends it: the cookie, the origin, a JSON body. */
async function cookiePost(setup: DoctorSetup, path: string, cookie: SetCookie): Promise<Sent> {
  const url = `${setup.apiUrl}${path}`;
  const headers = loginHeaders(setup.origins[0]!);
  const sent = { ...headers, cookie: `${cookie.name}=…` };
  try {
    const res = await probe(url, {
      method: 'POST',
      headers: { ...headers, cookie: `${cookie.name}=${cookie.value}` },
      body: '{}',
      timeoutMs: setup.timeoutMs,
    });
    const evidence = evidenceOf('POST', url, sent, res, (n) => n === 'set-cookie');
    const problem = jsonOf(res.body)?.code;
    return {
      res,
      evidence: {
        ...evidence,
        headers: redactSetCookies(evidence.headers ?? []),
        ...(typeof problem === 'string' ? { note: `problem code: ${problem}` } : {}),
      },
    };
  } catch (error) {
    const failure =
      error instanceof ProbeError ? error : new ProbeError('EUNKNOWN', String(error), 'http');
    return {
      error: failure,
      evidence: { ...evidenceOf('POST', url, sent, undefined), note: failure.message },
    };
  }
}

const outcome = (sent: Sent) =>
  sent.res
    ? `${sent.res.status}${typeof jsonOf(sent.res.body)?.code === 'string' ? ` ${String(jsonOf(sent.res.body)!.code)}` : ''}`
    : `${sent.error!.code}`;

async function refreshCheck(
  setup: DoctorSetup,
  cookie: SetCookie,
): Promise<{ result: CheckResult; cookie?: SetCookie }> {
  const name = 'refresh through the cookie';
  const api = parseUrl(setup.apiUrl)!;
  const sent = await cookiePost(setup, '/auth/refresh', cookie);
  const evidence = [sent.evidence];
  const res = sent.res;
  const rotated = res ? refreshCookieOf(headerValues(res, 'set-cookie')) : undefined;
  if (res?.status !== 200 || typeof jsonOf(res.body)?.accessToken !== 'string') {
    const origin = setup.origins[0]!;
    const refusedOrigin = res?.status === 403 && outcome(sent).includes('origin_not_allowed');
    return {
      result: finding(
        'cookie_refresh_failed',
        name,
        `POST /auth/refresh answered ${outcome(sent)}`,
        {
          evidence,
          ...(refusedOrigin
            ? {
                fix: `Add ${origin} to CORS_ORIGINS: the cookie routes refuse other origins (CSRF defence).`,
              }
            : {}),
        },
      ),
    };
  }
  if (!rotated?.value) {
    return {
      result: finding(
        'cookie_refresh_failed',
        name,
        '200, but no new refresh cookie: the browser keeps the rotated one, and its next refresh fails',
        { evidence },
      ),
    };
  }
  const refreshPath = `${api.pathname.replace(/\/$/, '')}/auth/refresh`;
  const cookiePath = cookie.attributes.get('path') || '/';
  if (!pathMatches(cookiePath, refreshPath)) {
    return {
      result: finding(
        'cookie_refresh_failed',
        name,
        `the cookie has Path=${cookiePath}: the browser does not send it to ${refreshPath}`,
        { evidence },
      ),
      cookie: rotated,
    };
  }
  return {
    result: pass(AREA, name, '200: a new access token, and the cookie rotated', {
      ms: res.timings.totalMs,
      evidence,
    }),
    cookie: rotated,
  };
}

/** A cleared cookie: empty, or expired (Max-Age=0 or an Expires in the past). */
function clears(cookie: SetCookie | undefined): boolean {
  if (!cookie) return false;
  const maxAge = cookie.attributes.get('max-age');
  const expires = cookie.attributes.get('expires');
  return (
    cookie.value === '' ||
    (maxAge !== undefined && Number(maxAge) <= 0) ||
    (expires !== undefined && Date.parse(expires) <= Date.now())
  );
}

async function logoutCheck(setup: DoctorSetup, cookie: SetCookie): Promise<CheckResult> {
  const name = 'logout';
  const logout = await cookiePost(setup, '/auth/logout', cookie);
  const res = logout.res;
  if (!res || res.status < 200 || res.status >= 300) {
    return finding('cookie_logout_failed', name, `POST /auth/logout answered ${outcome(logout)}`, {
      evidence: [logout.evidence],
    });
  }
  const cleared = clears(refreshCookieOf(headerValues(res, 'set-cookie')));
  // The session must be over: the cookie the browser had is refused from now on.
  const after = await cookiePost(setup, '/auth/refresh', cookie);
  const evidence = [logout.evidence, after.evidence];
  if (after.res?.status !== 401) {
    return finding(
      'cookie_logout_failed',
      name,
      `after logout (${res.status}), a refresh with the old cookie answered ${outcome(after)}, not 401`,
      { evidence },
    );
  }
  if (!cleared) {
    return finding(
      'cookie_logout_failed',
      name,
      `logout answered ${res.status} but did not clear the ${REFRESH_COOKIE} cookie`,
      { evidence },
    );
  }
  return pass(
    AREA,
    name,
    `${res.status}, the cookie cleared, and the old cookie is refused (401)`,
    {
      ms: res.timings.totalMs,
      evidence,
    },
  );
}
