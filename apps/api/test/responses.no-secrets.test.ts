import { randomUUID } from 'node:crypto';
import {
  API_PREFIX,
  authTokensSchema,
  createdApiKeySchema,
  DOCS_PATH,
  type Endpoint,
  contract,
  endpointsOf,
  mfaChallengeSchema,
  outboxListSchema,
  PROBLEM_CONTENT_TYPE,
  problemDetailsSchema,
  recoveryCodesSchema,
  sessionListSchema,
  totpSetupSchema,
  userSchema,
} from '@repo/contracts';
import { newCredentials } from '@repo/test-support';
import { Secret, TOTP } from 'otpauth';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_ORIGIN, refreshCookie } from './support/auth-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Every endpoint walked through real HTTP, successes and failures, and every response searched for
 * what must never leave the server: hashes and secrets from the database, the TOTP secret (but in
 * its setup response), stack traces and SQL. Every error must be a problem.
 */

interface Recorded {
  label: string;
  method: string;
  /** Below API_PREFIX when the request was to the API, else the full path. */
  path: string;
  status: number;
  contentType: string;
  /** Status line, every header and the body: all that the client saw. */
  raw: string;
}

interface CallOptions {
  json?: unknown;
  /** A raw body; sent with `contentType` (application/json unless said). */
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** The Origin header; null for a native client (no Origin). Browser's by default. */
  origin?: string | null;
  /** Request `${t.origin}${path}` instead of `${t.api}${path}`. */
  outsideApi?: boolean;
}

interface Reply {
  res: Response;
  status: number;
  text: string;
  json: () => unknown;
}

/** The database columns that hold hashes or secrets, as [table, column]. */
const SECRET_COLUMNS = [
  ['users', 'password_hash'],
  ['users', 'totp_secret'],
  ['sessions', 'token_hash'],
  ['sessions', 'previous_token_hash'],
  ['used_refresh_tokens', 'token_hash'],
  ['email_tokens', 'token_hash'],
  ['recovery_codes', 'code_hash'],
  ['api_keys', 'secret_hash'],
] as const;

const FORBIDDEN: [string, RegExp][] = [
  ['an argon2 hash', /\$argon2/],
  ['a stack frame', / {4}at /],
  ['a TypeScript file position', /\.ts:/],
  ['node_modules', /node_modules/],
  // In a JSON body the quote comes escaped: relation \"users\".
  ['SQL', /SELECT |INSERT |UPDATE |relation \\?"/],
];

const totpOf = (base32: string) =>
  new TOTP({ secret: Secret.fromBase32(base32), period: 30, digits: 6, algorithm: 'SHA1' });
/** The code of the time step `steps` from now (the server accepts one step either side). */
const codeAt = (base32: string, steps = 0) =>
  totpOf(base32).generate({ timestamp: Date.now() + steps * 30_000 });

describe('no response leaks a secret, a stack trace or SQL', () => {
  let t: TestApp;
  let db: pg.Client;
  const recorded: Recorded[] = [];
  /** Every value of the secret columns seen at some point of the walk, by "table.column". */
  const secrets = new Map<string, Set<string>>(
    SECRET_COLUMNS.map(([table, column]) => [`${table}.${column}`, new Set<string>()]),
  );
  /** TOTP secrets, each with the index of the one response allowed to show it. */
  const totpSecrets: { secret: string; setupResponse: number }[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        RATE_LIMIT_LOGIN_PER_IP: '10000',
        RATE_LIMIT_LOGIN_PER_EMAIL: '10000',
        RATE_LIMIT_AUTH_PER_IP: '10000',
        // A replayed refresh token is reuse at once, so that case is reachable.
        REFRESH_GRACE_SECONDS: '0',
      },
    });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  async function call(
    label: string,
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    const origin = options.origin === undefined ? BROWSER_ORIGIN : options.origin;
    if (origin !== null) headers.origin = origin;
    let body: string | undefined = options.body;
    if (options.json !== undefined) body = JSON.stringify(options.json);
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const res = await fetch(`${options.outsideApi ? t.origin : t.api}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    const headerLines = [...res.headers].map(([name, value]) => `${name}: ${value}`);
    recorded.push({
      label,
      method,
      path: options.outsideApi ? path : path.split('?')[0]!,
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      raw: [`HTTP ${res.status} ${res.statusText}`, ...headerLines, '', text].join('\n'),
    });
    return { res, status: res.status, text, json: () => JSON.parse(text) as unknown };
  }

  /** A call that must answer `status`; for errors, also the problem `code`. */
  async function step(
    label: string,
    expected: number | [number, string] | [number, number],
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<Reply> {
    const reply = await call(label, method, path, options);
    const [status, code] = typeof expected === 'number' ? [expected, undefined] : expected;
    if (typeof code === 'number') {
      expect([status, code], `${label}: ${reply.text.slice(0, 300)}`).toContain(reply.status);
      return reply;
    }
    expect(reply.status, `${label}: ${reply.text.slice(0, 300)}`).toBe(status);
    if (code) expect(problemDetailsSchema.parse(reply.json()).code, label).toBe(code);
    return reply;
  }

  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  /** Reads every value of the secret columns now (some are cleared later, e.g. by MFA off). */
  async function harvestSecrets() {
    for (const [table, column] of SECRET_COLUMNS) {
      const { rows } = await db.query<{ value: string }>(
        `SELECT DISTINCT ${column}::text AS value FROM ${table} WHERE ${column} IS NOT NULL`,
      );
      for (const { value } of rows) secrets.get(`${table}.${column}`)!.add(value);
    }
  }

  /** The token of the newest email to `to` whose subject matches, once it is there. */
  async function mailedToken(to: string, subject: RegExp, newerThan = 0): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const res = await call(
        'dev outbox (polling)',
        'GET',
        `/dev/outbox?to=${encodeURIComponent(to)}`,
      );
      const mails = outboxListSchema.parse(res.json()).filter((m) => subject.test(m.subject));
      if (mails.length > newerThan) return new URL(mails[0]!.link!).searchParams.get('token')!;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`No email "${String(subject)}" to ${to}`);
  }

  async function registerAndVerify(credentials: ReturnType<typeof newCredentials>) {
    await step('register', 201, 'POST', '/auth/register', { json: credentials });
    const token = await mailedToken(credentials.email, /Confirm/);
    await step('verify email', 200, 'POST', '/auth/verify-email', { json: { token } });
  }

  /** A browser login: access token and refresh cookie. */
  async function browserLogin(email: string, password: string) {
    const reply = await step('login (browser)', 200, 'POST', '/auth/login', {
      json: { email, password },
    });
    const cookie = refreshCookie(reply.res);
    expect(cookie).toBeDefined();
    return { accessToken: authTokensSchema.parse(reply.json()).accessToken, cookie: cookie! };
  }

  it('walks every endpoint, its successes and its failures', async () => {
    const a = newCredentials();
    const b = newCredentials();

    // --- Health, docs, unknown routes ----------------------------------------------------------
    await step('liveness', 200, 'GET', '/health');
    await step('readiness', 200, 'GET', '/health/ready');
    await step('openapi.json', 200, 'GET', `${DOCS_PATH}/openapi.json`, { outsideApi: true });
    await step('docs page', 200, 'GET', DOCS_PATH, { outsideApi: true });
    await step('unknown API route', [404, 'not_found'], 'GET', '/no-such-route');
    await step('unknown route outside the API', [404, 'not_found'], 'GET', '/no-such-page', {
      outsideApi: true,
    });
    await step(
      'unknown route with SQL in it',
      [404, 'not_found'],
      'GET',
      `/users/${encodeURIComponent("' OR 1=1; SELECT * FROM users --")}`,
    );
    await step('wrong method', [404, 'not_found'], 'PUT', '/users/me', { json: {} });
    await step('GET on a POST route', [404, 'not_found'], 'GET', '/auth/login');
    // Refused by the router itself, before any route or hook runs.
    await step('a malformed URL', 400, 'DELETE', '/api-keys/%zz');
    await step('an overlong path parameter', [404, 414], 'DELETE', `/api-keys/${'a'.repeat(200)}`);
    await step('foreign CORS preflight', [403, 'origin_not_allowed'], 'OPTIONS', '/auth/login', {
      origin: 'http://evil.example',
      headers: { 'access-control-request-method': 'POST' },
    });

    // --- Registration and verification ---------------------------------------------------------
    await step('register', 201, 'POST', '/auth/register', { json: a });
    await step('register again', [409, 'email_taken'], 'POST', '/auth/register', {
      json: { ...a, email: a.email.toUpperCase() },
    });
    await step('register invalid', [400, 'validation_failed'], 'POST', '/auth/register', {
      json: { email: 'a@b', password: 'short', name: '' },
    });
    await step('register malformed JSON', [400, 'malformed_json'], 'POST', '/auth/register', {
      body: '{"email":',
    });
    await step('register as text', [415, 'unsupported_media_type'], 'POST', '/auth/register', {
      body: JSON.stringify(a),
      contentType: 'text/plain',
    });
    await step('register __proto__', [400, 'malformed_json'], 'POST', '/auth/register', {
      body: `{"__proto__":{"admin":true},${JSON.stringify(a).slice(1)}`,
    });
    await step('login unverified', [403, 'email_not_verified'], 'POST', '/auth/login', {
      json: { email: a.email, password: a.password },
    });
    await step('resend verification', 202, 'POST', '/auth/resend-verification', {
      json: { email: a.email },
    });
    await step('resend to nobody', 202, 'POST', '/auth/resend-verification', {
      json: { email: `nobody-${a.email}` },
    });
    await step('resend invalid', [400, 'validation_failed'], 'POST', '/auth/resend-verification', {
      json: { email: 'ü@exämple.com' },
    });
    await step(
      'outbox with a bad address',
      [400, 'validation_failed'],
      'GET',
      '/dev/outbox?to=a@b',
    );
    const verifyToken = await mailedToken(a.email, /Confirm/, 1); // the resent one
    await step('verify with a bad token', [400, 'link_invalid'], 'POST', '/auth/verify-email', {
      json: { token: 'x'.repeat(43) },
    });
    await step(
      'verify with a short token',
      [400, 'validation_failed'],
      'POST',
      '/auth/verify-email',
      { json: { token: 'short' } },
    );
    await step('verify email', 200, 'POST', '/auth/verify-email', { json: { token: verifyToken } });
    await step('verify twice', [400, 'link_invalid'], 'POST', '/auth/verify-email', {
      json: { token: verifyToken },
    });
    await registerAndVerify(b);
    await harvestSecrets();

    // --- Login, profile, sessions, refresh -----------------------------------------------------
    await step('wrong password', [401, 'invalid_credentials'], 'POST', '/auth/login', {
      json: { email: a.email, password: 'not the password' },
    });
    await step('unknown email', [401, 'invalid_credentials'], 'POST', '/auth/login', {
      json: { email: `nobody-${a.email}`, password: a.password },
    });
    await step('login without fields', [400, 'validation_failed'], 'POST', '/auth/login', {
      json: {},
    });
    const first = await browserLogin(a.email, a.password);
    const native = await step('login (native)', 200, 'POST', '/auth/login', {
      json: { email: a.email, password: a.password },
      origin: null,
    });
    const nativeRefresh = authTokensSchema.parse(native.json()).refreshToken!;
    expect(nativeRefresh).toBeDefined();

    await step('me', 200, 'GET', '/users/me', bearer(first.accessToken));
    await step('me without a token', [401, 'unauthorized'], 'GET', '/users/me');
    await step('me with garbage', [401, 'token_invalid'], 'GET', '/users/me', bearer('garbage'));
    await step(
      'me with a tampered token',
      [401, 'token_invalid'],
      'GET',
      '/users/me',
      bearer(`${first.accessToken.slice(0, -4)}AAAA`),
    );
    await step('me with Basic auth', [401, 'token_invalid'], 'GET', '/users/me', {
      headers: {
        authorization: `Basic ${Buffer.from(`${a.email}:${a.password}`).toString('base64')}`,
      },
    });
    await step('patch me', 200, 'PATCH', '/users/me', {
      ...bearer(first.accessToken),
      json: { name: 'Ada Lovelace' },
    });
    await step('patch me empty name', [400, 'validation_failed'], 'PATCH', '/users/me', {
      ...bearer(first.accessToken),
      json: { name: '' },
    });
    await step('patch me email', [400, 'validation_failed'], 'PATCH', '/users/me', {
      ...bearer(first.accessToken),
      json: { email: 'x@example.com' },
    });
    await step('patch me without a token', [401, 'unauthorized'], 'PATCH', '/users/me', {
      json: { name: 'X' },
    });
    await step('sessions', 200, 'GET', '/auth/sessions', bearer(first.accessToken));
    await step('sessions without a token', [401, 'unauthorized'], 'GET', '/auth/sessions');

    const refreshed = await step('refresh (cookie)', 200, 'POST', '/auth/refresh', {
      json: {},
      headers: { cookie: first.cookie },
    });
    const cookie = refreshCookie(refreshed.res)!;
    expect(cookie).toBeDefined();
    let access = authTokensSchema.parse(refreshed.json()).accessToken;
    const nativeNext = await step('refresh (native)', 200, 'POST', '/auth/refresh', {
      json: { refreshToken: nativeRefresh },
      origin: null,
    });
    expect(authTokensSchema.parse(nativeNext.json()).refreshToken).toBeDefined();
    await step('refresh token replayed', [401, 'refresh_reused'], 'POST', '/auth/refresh', {
      json: { refreshToken: nativeRefresh },
      origin: null,
    });
    await step('refresh without a token', [401, 'unauthorized'], 'POST', '/auth/refresh', {
      json: {},
    });
    await step('refresh with a bogus cookie', [401, 'token_invalid'], 'POST', '/auth/refresh', {
      json: {},
      headers: { cookie: `refresh_token=${'b'.repeat(43)}` },
    });
    await step('refresh as text', [415, 'unsupported_media_type'], 'POST', '/auth/refresh', {
      body: '{}',
      contentType: 'text/plain',
      headers: { cookie },
    });
    await step(
      'refresh from a foreign origin',
      [403, 'origin_not_allowed'],
      'POST',
      '/auth/refresh',
      { json: {}, origin: 'http://evil.example', headers: { cookie } },
    );
    await step('refresh with a number', [400, 'validation_failed'], 'POST', '/auth/refresh', {
      json: { refreshToken: 5 },
    });

    const other = await browserLogin(a.email, a.password);
    const sessions = sessionListSchema.parse(
      (await step('sessions', 200, 'GET', '/auth/sessions', bearer(access))).json(),
    );
    const otherSession = sessions.find((s) => !s.current)!;
    expect(otherSession).toBeDefined();
    await step(
      'revoke a session',
      204,
      'DELETE',
      `/auth/sessions/${otherSession.id}`,
      bearer(access),
    );
    await step(
      'revoke it again',
      [404, 'not_found'],
      'DELETE',
      `/auth/sessions/${otherSession.id}`,
      bearer(access),
    );
    await step(
      'revoke a non-UUID',
      [400, 'validation_failed'],
      'DELETE',
      '/auth/sessions/not-a-uuid',
      bearer(access),
    );
    await step(
      'revoke without a token',
      [401, 'unauthorized'],
      'DELETE',
      `/auth/sessions/${otherSession.id}`,
    );
    await step(
      'revoked session token',
      [401, 'token_invalid'],
      'GET',
      '/users/me',
      bearer(other.accessToken),
    );
    await harvestSecrets();

    // --- TOTP: setup, enable, login with MFA, disable ------------------------------------------
    const setupReply = await step(
      'totp setup',
      200,
      'POST',
      '/auth/mfa/totp/setup',
      bearer(access),
    );
    const setup = totpSetupSchema.parse(setupReply.json());
    totpSecrets.push({ secret: setup.secret, setupResponse: recorded.length - 1 });
    await step(
      'totp enable, bad format',
      [400, 'validation_failed'],
      'POST',
      '/auth/mfa/totp/enable',
      { ...bearer(access), json: { code: '12345' } },
    );
    const valid = new Set([-1, 0, 1].map((s) => codeAt(setup.secret, s)));
    const wrongCode = ['000000', '111111', '222222', '333333'].find((c) => !valid.has(c))!;
    await step(
      'totp enable, wrong code',
      [400, 'invalid_mfa_code'],
      'POST',
      '/auth/mfa/totp/enable',
      { ...bearer(access), json: { code: wrongCode } },
    );
    await step(
      'totp enable without a token',
      [401, 'unauthorized'],
      'POST',
      '/auth/mfa/totp/enable',
      { json: { code: codeAt(setup.secret) } },
    );
    const enabled = await step('totp enable', 200, 'POST', '/auth/mfa/totp/enable', {
      ...bearer(access),
      json: { code: codeAt(setup.secret) },
    });
    const { recoveryCodes } = recoveryCodesSchema.parse(enabled.json());
    await step(
      'totp setup again',
      [409, 'conflict'],
      'POST',
      '/auth/mfa/totp/setup',
      bearer(access),
    );
    await step('totp enable again', [409, 'conflict'], 'POST', '/auth/mfa/totp/enable', {
      ...bearer(access),
      json: { code: codeAt(setup.secret) },
    });
    await harvestSecrets();

    const challenge = async () =>
      mfaChallengeSchema.parse(
        (
          await step('login (MFA)', 200, 'POST', '/auth/login', {
            json: { email: a.email, password: a.password },
          })
        ).json(),
      ).mfaToken;
    const mfaToken = await challenge();
    await step('verify-mfa, wrong code', [400, 'invalid_mfa_code'], 'POST', '/auth/verify-mfa', {
      json: { mfaToken, code: wrongCode },
    });
    await step('verify-mfa, bad challenge', [401, 'token_invalid'], 'POST', '/auth/verify-mfa', {
      json: { mfaToken: 'x'.repeat(40), code: '123456' },
    });
    await step(
      'verify-mfa, access token as challenge',
      [401, 'token_invalid'],
      'POST',
      '/auth/verify-mfa',
      { json: { mfaToken: access, code: '123456' } },
    );
    await step('verify-mfa, bad format', [400, 'validation_failed'], 'POST', '/auth/verify-mfa', {
      json: { mfaToken, code: 'abc' },
    });
    // The enable used this step's code; each step is accepted once, so the next step's (once).
    const nextCode = codeAt(setup.secret, 1);
    await step('verify-mfa (TOTP)', 200, 'POST', '/auth/verify-mfa', {
      json: { mfaToken, code: nextCode },
    });
    await step('verify-mfa, code replayed', [400, 'invalid_mfa_code'], 'POST', '/auth/verify-mfa', {
      json: { mfaToken: await challenge(), code: nextCode },
    });
    await step('verify-mfa (recovery code)', 200, 'POST', '/auth/verify-mfa', {
      json: { mfaToken: await challenge(), code: recoveryCodes[0] },
      origin: null,
    });
    await step(
      'verify-mfa, recovery code reused',
      [400, 'invalid_mfa_code'],
      'POST',
      '/auth/verify-mfa',
      { json: { mfaToken: await challenge(), code: recoveryCodes[0] } },
    );

    await step(
      'totp disable, wrong password',
      [400, 'wrong_password'],
      'POST',
      '/auth/mfa/totp/disable',
      { ...bearer(access), json: { password: 'not the password', code: recoveryCodes[1] } },
    );
    await step(
      'totp disable, wrong code',
      [400, 'invalid_mfa_code'],
      'POST',
      '/auth/mfa/totp/disable',
      { ...bearer(access), json: { password: a.password, code: 'zzzzz-zzzzz' } },
    );
    await step(
      'totp disable, no code',
      [400, 'validation_failed'],
      'POST',
      '/auth/mfa/totp/disable',
      { ...bearer(access), json: { password: a.password } },
    );
    await step('totp disable', 204, 'POST', '/auth/mfa/totp/disable', {
      ...bearer(access),
      json: { password: a.password, code: recoveryCodes[1] },
    });
    await step('totp disable again', [409, 'conflict'], 'POST', '/auth/mfa/totp/disable', {
      ...bearer(access),
      json: { password: a.password, code: recoveryCodes[2] },
    });

    // b keeps TOTP on, so its secret and recovery codes are still in the database at the end.
    const bSession = await browserLogin(b.email, b.password);
    const bSetupReply = await step(
      'totp setup (b)',
      200,
      'POST',
      '/auth/mfa/totp/setup',
      bearer(bSession.accessToken),
    );
    const bSetup = totpSetupSchema.parse(bSetupReply.json());
    totpSecrets.push({ secret: bSetup.secret, setupResponse: recorded.length - 1 });
    await step('totp enable (b)', 200, 'POST', '/auth/mfa/totp/enable', {
      ...bearer(bSession.accessToken),
      json: { code: codeAt(bSetup.secret) },
    });
    await step('me (b, MFA on)', 200, 'GET', '/users/me', bearer(bSession.accessToken));
    await harvestSecrets();

    // --- API keys ------------------------------------------------------------------------------
    const writeKey = createdApiKeySchema.parse(
      (
        await step('create api key (write)', 201, 'POST', '/api-keys', {
          ...bearer(access),
          json: { name: 'CI', scopes: ['read', 'write'], expiresInDays: 30 },
        })
      ).json(),
    );
    const readKey = createdApiKeySchema.parse(
      (
        await step('create api key (read)', 201, 'POST', '/api-keys', {
          ...bearer(access),
          json: { name: 'Dashboard' },
        })
      ).json(),
    );
    await step('create api key, empty name', [400, 'validation_failed'], 'POST', '/api-keys', {
      ...bearer(access),
      json: { name: '' },
    });
    await step('create api key, unknown scope', [400, 'validation_failed'], 'POST', '/api-keys', {
      ...bearer(access),
      json: { name: 'x', scopes: ['admin'] },
    });
    await step('create api key with an api key', [401, 'api_key_invalid'], 'POST', '/api-keys', {
      headers: { 'x-api-key': writeKey.secret },
      json: { name: 'x' },
    });
    await step('list api keys', 200, 'GET', '/api-keys', bearer(access));
    await step('list api keys with an api key', [401, 'api_key_invalid'], 'GET', '/api-keys', {
      headers: { 'x-api-key': writeKey.secret },
    });
    await step('me with an api key', 200, 'GET', '/users/me', {
      headers: { 'x-api-key': readKey.secret },
    });
    await step('patch me with a write key', 200, 'PATCH', '/users/me', {
      headers: { 'x-api-key': writeKey.secret },
      json: { name: 'Ada King' },
    });
    await step('patch me with a read key', [403, 'insufficient_scope'], 'PATCH', '/users/me', {
      headers: { 'x-api-key': readKey.secret },
      json: { name: 'Nope' },
    });
    await step('me with a bogus api key', [401, 'api_key_invalid'], 'GET', '/users/me', {
      headers: { 'x-api-key': 'bogus' },
    });
    await step('me with a forged api key', [401, 'api_key_invalid'], 'GET', '/users/me', {
      headers: { 'x-api-key': `${writeKey.apiKey.prefix}_${'x'.repeat(32)}` },
    });
    await step('revoke api key', 204, 'DELETE', `/api-keys/${readKey.apiKey.id}`, bearer(access));
    await step(
      'revoke it again',
      [404, 'not_found'],
      'DELETE',
      `/api-keys/${readKey.apiKey.id}`,
      bearer(access),
    );
    await step(
      'revoke a non-UUID',
      [400, 'validation_failed'],
      'DELETE',
      '/api-keys/1',
      bearer(access),
    );
    await step('me with a revoked key', [401, 'api_key_invalid'], 'GET', '/users/me', {
      headers: { 'x-api-key': readKey.secret },
    });
    await harvestSecrets();

    // --- Notes (the example resource) ----------------------------------------------------------
    const note = (
      await step('create note', 201, 'POST', '/notes', {
        ...bearer(access),
        json: { title: 'First', body: 'x' },
      })
    ).json() as { id: string; version: number };
    await step('create note, empty title', [400, 'validation_failed'], 'POST', '/notes', {
      ...bearer(access),
      json: { title: '' },
    });
    await step('list notes', 200, 'GET', '/notes?page=1&pageSize=10', bearer(access));
    await step(
      'list notes, pageSize 0',
      [400, 'validation_failed'],
      'GET',
      '/notes?pageSize=0',
      bearer(access),
    );
    await step('get note', 200, 'GET', `/notes/${note.id}`, bearer(access));
    await step(
      'get a missing note',
      [404, 'not_found'],
      'GET',
      `/notes/${randomUUID()}`,
      bearer(access),
    );
    await step('update note', 200, 'PATCH', `/notes/${note.id}`, {
      ...bearer(access),
      json: { title: 'Second', version: note.version },
    });
    await step(
      'update note, stale version',
      [409, 'version_conflict'],
      'PATCH',
      `/notes/${note.id}`,
      {
        ...bearer(access),
        json: { title: 'Third', version: note.version },
      },
    );
    await step('delete note', 204, 'DELETE', `/notes/${note.id}`, bearer(access));
    await step(
      'delete it again',
      [404, 'not_found'],
      'DELETE',
      `/notes/${note.id}`,
      bearer(access),
    );

    // --- Password reset ------------------------------------------------------------------------
    const newPassword = 'a brand new passphrase';
    await step('request reset', 202, 'POST', '/auth/request-password-reset', {
      json: { email: a.email },
    });
    await step('request reset for nobody', 202, 'POST', '/auth/request-password-reset', {
      json: { email: `nobody-${a.email}` },
    });
    await step(
      'request reset, invalid',
      [400, 'validation_failed'],
      'POST',
      '/auth/request-password-reset',
      { json: { email: ' ' } },
    );
    const resetToken = await mailedToken(a.email, /Reset/);
    await harvestSecrets();
    await step('reset, bad token', [400, 'link_invalid'], 'POST', '/auth/reset-password', {
      json: { token: 'r'.repeat(43), password: newPassword },
    });
    await step(
      'reset, short password',
      [400, 'validation_failed'],
      'POST',
      '/auth/reset-password',
      { json: { token: resetToken, password: 'short' } },
    );
    await step('reset', 204, 'POST', '/auth/reset-password', {
      json: { token: resetToken, password: newPassword },
    });
    await step('reset twice', [400, 'link_invalid'], 'POST', '/auth/reset-password', {
      json: { token: resetToken, password: newPassword },
    });
    await step(
      'old session after reset',
      [401, 'token_invalid'],
      'GET',
      '/users/me',
      bearer(access),
    );
    await step('api key after reset', [401, 'api_key_invalid'], 'GET', '/users/me', {
      headers: { 'x-api-key': writeKey.secret },
    });
    await step('old password after reset', [401, 'invalid_credentials'], 'POST', '/auth/login', {
      json: { email: a.email, password: a.password },
    });
    access = (await browserLogin(a.email, newPassword)).accessToken;
    await harvestSecrets();

    // --- Change password -----------------------------------------------------------------------
    const newest = 'the newest passphrase of all';
    await step(
      'change password, wrong current',
      [400, 'wrong_password'],
      'POST',
      '/auth/change-password',
      { ...bearer(access), json: { currentPassword: a.password, newPassword: newest } },
    );
    await step(
      'change password, weak new',
      [400, 'validation_failed'],
      'POST',
      '/auth/change-password',
      { ...bearer(access), json: { currentPassword: newPassword, newPassword: 'short' } },
    );
    await step(
      'change password without a token',
      [401, 'unauthorized'],
      'POST',
      '/auth/change-password',
      { json: { currentPassword: newPassword, newPassword: newest } },
    );
    await step('change password', 204, 'POST', '/auth/change-password', {
      ...bearer(access),
      json: { currentPassword: newPassword, newPassword: newest },
    });
    await step('me after changing it', 200, 'GET', '/users/me', bearer(access));
    await harvestSecrets();

    // --- Logout, logout everywhere -------------------------------------------------------------
    const last = await browserLogin(a.email, newest);
    await step('logout as text', [415, 'unsupported_media_type'], 'POST', '/auth/logout', {
      body: '{}',
      contentType: 'text/plain',
      headers: { cookie: last.cookie },
    });
    await step(
      'logout from a foreign origin',
      [403, 'origin_not_allowed'],
      'POST',
      '/auth/logout',
      { json: {}, origin: 'http://evil.example', headers: { cookie: last.cookie } },
    );
    await step('logout with a number', [400, 'validation_failed'], 'POST', '/auth/logout', {
      json: { refreshToken: 1 },
    });
    await step('logout', 204, 'POST', '/auth/logout', {
      json: {},
      headers: { cookie: last.cookie },
    });
    await step('logout twice', 204, 'POST', '/auth/logout', {
      json: {},
      headers: { cookie: last.cookie },
    });
    await step('refresh after logout', [401, 'token_invalid'], 'POST', '/auth/refresh', {
      json: {},
      headers: { cookie: last.cookie },
    });
    const one = await browserLogin(a.email, newest);
    const two = await browserLogin(a.email, newest);
    await step('logout-all without a token', [401, 'unauthorized'], 'POST', '/auth/logout-all', {
      json: {},
    });
    await step('logout-all', 204, 'POST', '/auth/logout-all', {
      ...bearer(one.accessToken),
      json: {},
    });
    await step(
      'other session after logout-all',
      [401, 'token_invalid'],
      'GET',
      '/users/me',
      bearer(two.accessToken),
    );
    await step('its refresh after logout-all', [401, 'token_invalid'], 'POST', '/auth/refresh', {
      json: {},
      headers: { cookie: two.cookie },
    });

    await step('the whole dev outbox', 200, 'GET', '/dev/outbox');
    await step('me (b, still in)', 200, 'GET', '/users/me', bearer(bSession.accessToken));
    await harvestSecrets();
  });

  it('saw a realistic number of responses, over every endpoint of the table', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(130);
    const table = endpointsOf(contract).map((e): [string, Endpoint] => [e.id, e]);
    const missing = table
      .filter(([, e]) => {
        const path = new RegExp(`^${e.path.replace(/:\w+/g, '[^/]+')}$`);
        const hits = recorded.filter((r) => r.method === e.method && path.test(r.path));
        const ok = hits.some((r) => r.status < 400);
        // Each endpoint that can refuse anything was seen refusing something.
        const refused = hits.some((r) => r.status >= 400);
        return !ok || (e.access !== 'public' || e.body || e.query ? !refused : false);
      })
      .map(([name]) => name);
    expect(missing).toEqual([]);
    expect(recorded.filter((r) => r.status >= 400).length).toBeGreaterThanOrEqual(70);
  });

  it('really read secrets from the database: every secret column had values', () => {
    for (const [column, values] of secrets) {
      expect(values.size, column).toBeGreaterThan(0);
      for (const value of values) expect(value.length, column).toBeGreaterThanOrEqual(32);
    }
    expect(secrets.get('users.password_hash')!.size).toBeGreaterThanOrEqual(4); // a, b, reset, change
    expect([...secrets.get('users.password_hash')!].every((h) => h.startsWith('$argon2id$'))).toBe(
      true,
    );
    expect(totpSecrets).toHaveLength(2);
  });

  /** Which stored secrets each response contains. */
  const secretLeaks = (responses: Recorded[]) =>
    responses.flatMap((r) =>
      [...secrets].flatMap(([column, values]) =>
        [...values]
          .filter((value) => r.raw.includes(value))
          .map(() => `${r.label} (${r.method} ${r.path.slice(0, 60)}): ${column}`),
      ),
    );

  /** Which forbidden patterns (hash, stack, SQL) each response contains. */
  const patternLeaks = (responses: Recorded[]) =>
    responses.flatMap((r) =>
      FORBIDDEN.filter(([, pattern]) => pattern.test(r.raw)).map(([what, pattern]) => {
        const at = r.raw.search(pattern);
        return `${r.label} (${r.method} ${r.path.slice(0, 60)}): ${what}: …${r.raw.slice(Math.max(0, at - 60), at + 60)}…`;
      }),
    );

  it('the checks would see a leak (each stored secret, each pattern, in a made-up response)', () => {
    const fake = (raw: string): Recorded => ({
      label: 'made up',
      method: 'GET',
      path: '/x',
      status: 200,
      contentType: 'application/json',
      raw: `HTTP 200 OK\ncontent-type: application/json\n\n{"leak":${JSON.stringify(raw)}}`,
    });
    for (const [column, values] of secrets) {
      for (const value of values) expect(secretLeaks([fake(value)]), column).not.toEqual([]);
    }
    for (const sample of [
      '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      'Error: boom\n    at AuthService.login (/app/src/auth/auth.service.ts:84:13)',
      'at Object.<anonymous> (src/main.ts:3:1)',
      '/app/node_modules/typeorm/index.js',
      'SELECT "user"."password_hash" FROM "users"',
      'INSERT INTO sessions VALUES ($1)',
      'UPDATE users SET totp_secret = $1',
      'relation "users" does not exist',
    ]) {
      expect(patternLeaks([fake(sample)]), sample).not.toEqual([]);
    }
  });

  it('no response contains a hash or secret stored in the database', () => {
    expect(secretLeaks(recorded)).toEqual([]);
  });

  it('the TOTP secret appears in its setup response only', () => {
    const leaks: string[] = [];
    for (const { secret, setupResponse } of totpSecrets) {
      expect(recorded[setupResponse]!.raw).toContain(secret);
      recorded.forEach((r, i) => {
        if (i !== setupResponse && r.raw.includes(secret)) leaks.push(`${r.label} ${r.path}`);
      });
    }
    expect(leaks).toEqual([]);
  });

  it('no response contains an argon2 hash, a stack trace or SQL', () => {
    expect(patternLeaks(recorded)).toEqual([]);
  });

  it('every 4xx and 5xx is application/problem+json with a request id', () => {
    const errors = recorded.filter((r) => r.status >= 400);
    expect(errors.length).toBeGreaterThan(0);
    const wrong = errors
      .filter((r) => {
        if (!r.contentType.startsWith(PROBLEM_CONTENT_TYPE)) return true;
        const body = r.raw.slice(r.raw.indexOf('\n\n') + 2);
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          return true;
        }
        const problem = problemDetailsSchema.safeParse(json);
        return !problem.success || problem.data.status !== r.status || !problem.data.requestId;
      })
      .map((r) => `${r.label} (${r.method} ${r.path.slice(0, 60)}): ${r.status} ${r.contentType}`);
    expect(wrong).toEqual([]);
  });

  it('successful user responses have the contract shape, without extra fields', () => {
    const userBodies = recorded.filter(
      (r) => r.status === 200 && r.method === 'GET' && r.path === '/users/me',
    );
    expect(userBodies.length).toBeGreaterThan(3);
    for (const r of userBodies) {
      const body = JSON.parse(r.raw.slice(r.raw.indexOf('\n\n') + 2)) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(Object.keys(userSchema.shape).sort());
    }
    expect(API_PREFIX).toBe('/api/v1');
  });
});
