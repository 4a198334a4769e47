import {
  API_PREFIX,
  DOCS_PATH,
  PROBLEM_CONTENT_TYPE,
  problemDetailsSchema,
  userSchema,
} from '@repo/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_ORIGIN } from './support/auth-client.js';
import {
  casesOf,
  type Expected,
  featureScenarios,
  missingScenarios,
  refusalRecords,
} from './support/scenarios.js';
import { changedTables, snapshotter } from './support/snapshot.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { expectReply, World } from './support/world.js';

/**
 * Every endpoint walked through real HTTP, through the scenarios each feature declares beside its
 * code (a success, and each refusal), plus the routes no feature owns; every response searched
 * for what must never leave the server: hashes and secrets from the database, the TOTP secret (but
 * in its setup response), stack traces and SQL. Every error must be a problem, and every refusal
 * leaves the database as it found it, but for the tables where its endpoint records refusals.
 */

const scenarios = await featureScenarios();
/** Each case of the walk, titled by its endpoint and label. */
const walk = casesOf(scenarios).map((c) => [`${c.endpoint.id}: ${c.case.label}`, c] as const);
const recordsRefusals = refusalRecords(scenarios);
const isRefusal = (expected: Expected) =>
  expected !== 'success' && (typeof expected === 'number' ? expected : expected[0]) >= 400;

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

/** The database columns that hold hashes or secrets, as [table, column]. */
const SECRET_COLUMNS = [
  ['users', 'password_hash'],
  ['users', 'totp_secret'],
  ['sessions', 'token_hash'],
  ['sessions', 'previous_token_hash'],
  ['used_refresh_tokens', 'token_hash'],
  ['email_tokens', 'token_hash'],
  ['email_codes', 'code_hash'],
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

const rawOf = (res: { status: number; headers: Headers }, statusText: string, text: string) =>
  [
    `HTTP ${res.status} ${statusText}`,
    ...[...res.headers].map(([name, value]) => `${name}: ${value}`),
    '',
    text,
  ].join('\n');

describe('no response leaks a secret, a stack trace or SQL', () => {
  let t: TestApp;
  let db: pg.Client;
  let world: World;
  const recorded: Recorded[] = [];
  /** The label of the case being walked, for the responses it records. */
  let current = '';
  /** Every value of the secret columns seen at some point of the walk, by "table.column". */
  const secrets = new Map<string, Set<string>>(
    SECRET_COLUMNS.map(([table, column]) => [`${table}.${column}`, new Set<string>()]),
  );
  let snap: Awaited<ReturnType<typeof snapshotter>>;
  /** The refusal cases walked, and those checked for writes. */
  let refusals = 0;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        RATE_LIMIT_LOGIN_PER_IP: '10000',
        RATE_LIMIT_LOGIN_PER_EMAIL: '10000',
        RATE_LIMIT_AUTH_PER_IP: '10000',
        RATE_LIMIT_EMAIL_CODE_PER_EMAIL: '10000',
        // A replayed refresh token is reuse at once, so that case is reachable.
        REFRESH_GRACE_SECONDS: '0',
      },
    });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    // A key that authenticates a request records its use, whatever the answer: its owner sees a
    // leaked key at work even where its scope refuses it.
    snap = await snapshotter(t.databaseUrl, { ignoreColumns: { api_keys: ['last_used_at'] } });
    world = new World(t, ({ endpoint, request, reply }) => {
      const query = request.query ? '?' : '';
      recorded.push({
        label: current,
        method: endpoint.method,
        path: `${endpoint.path}${query}`,
        status: reply.status,
        contentType: reply.headers.get('content-type') ?? '',
        raw: rawOf(reply, '', reply.text),
      });
    });
  });
  afterAll(async () => {
    await snap?.close();
    await db.end();
    await t.close();
  });

  /** A request to a route no feature owns, recorded like the others. */
  async function outside(
    label: string,
    expected: number | number[],
    method: string,
    url: string,
    headers: Record<string, string> = {},
  ) {
    const res = await fetch(url, { method, headers: { origin: BROWSER_ORIGIN, ...headers } });
    const text = await res.text();
    recorded.push({
      label,
      method,
      path: url.replace(t.api, ''),
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      raw: rawOf(res, res.statusText, text),
    });
    expect([expected].flat(), `${label}: ${text.slice(0, 200)}`).toContain(res.status);
  }

  /** Reads every value of the secret columns now (some are cleared later, e.g. by MFA off). */
  async function harvestSecrets() {
    for (const [table, column] of SECRET_COLUMNS) {
      const { rows } = await db.query<{ value: string }>(
        `SELECT DISTINCT ${column}::text AS value FROM ${table} WHERE ${column} IS NOT NULL`,
      );
      for (const { value } of rows) secrets.get(`${table}.${column}`)!.add(value);
    }
  }

  it('has scenarios for every endpoint the app serves: a success, and a refusal where it can', () => {
    expect(t.endpoints.length).toBeGreaterThan(20);
    expect(missingScenarios(t.endpoints, scenarios)).toEqual([]);
  });

  it('walks the routes no feature owns', async () => {
    await outside('openapi.json', 200, 'GET', `${t.origin}${DOCS_PATH}/openapi.json`);
    await outside('docs page', 200, 'GET', `${t.origin}${DOCS_PATH}`);
    await outside('unknown API route', 404, 'GET', `${t.api}/no-such-route`);
    await outside('unknown route outside the API', 404, 'GET', `${t.origin}/no-such-page`);
    await outside(
      'unknown route with SQL in it',
      404,
      'GET',
      `${t.api}/users/${encodeURIComponent("' OR 1=1; SELECT * FROM users --")}`,
    );
    await outside('wrong method', 404, 'PUT', `${t.api}/users/me`);
    await outside('GET on a POST route', 404, 'GET', `${t.api}/auth/login`);
    // Refused by the router itself, before any route or hook runs.
    await outside('a malformed URL', 400, 'DELETE', `${t.api}/api-keys/%zz`);
    await outside(
      'an overlong path parameter',
      [404, 414],
      'DELETE',
      `${t.api}/api-keys/${'a'.repeat(200)}`,
    );
    await outside('foreign CORS preflight', 403, 'OPTIONS', `${t.api}/auth/login`, {
      origin: 'http://evil.example',
      'access-control-request-method': 'POST',
    });
  });

  it.each(walk)('walks %s', async (label, { endpoint, case: c }) => {
    current = label;
    const request = await c.request(world);
    // A refusal is checked for writes from the moment what its setup started has landed.
    const before = isRefusal(c.expect) ? await snap.settled() : undefined;
    const reply = await world.send(endpoint, request);
    expectReply(current, endpoint, c.expect, reply);
    if (before) {
      refusals++;
      const recorded = recordsRefusals.get(endpoint.id) ?? [];
      const wrote = changedTables(before, await snap.settled()).filter(
        (table) => !recorded.includes(table),
      );
      expect(wrote, `${label}: the refusal changed these tables`).toEqual([]);
    }
    await c.then?.(world, reply, request);
    await harvestSecrets();
  });

  it('checked every refusal of the walk for writes', () => {
    expect(refusals).toBe(walk.filter(([, c]) => isRefusal(c.case.expect)).length);
    expect(refusals).toBeGreaterThanOrEqual(120);
  });

  it('saw a realistic number of responses, over every endpoint it serves', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(130);
    const missing = t.endpoints
      .filter((e) => {
        const hits = recorded.filter((r) => r.method === e.method && r.path.startsWith(e.path));
        return !hits.some((r) => r.status < 400);
      })
      .map((e) => e.id);
    expect(missing).toEqual([]);
    expect(recorded.filter((r) => r.status >= 400).length).toBeGreaterThanOrEqual(70);
  });

  it('really read secrets from the database: every secret column had values', () => {
    for (const [column, values] of secrets) {
      expect(values.size, column).toBeGreaterThan(0);
      for (const value of values) expect(value.length, column).toBeGreaterThanOrEqual(32);
    }
    expect(secrets.get('users.password_hash')!.size).toBeGreaterThanOrEqual(4);
    expect([...secrets.get('users.password_hash')!].every((h) => h.startsWith('$argon2id$'))).toBe(
      true,
    );
    expect(world.totpSetups.size).toBeGreaterThanOrEqual(2);
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
    for (const [secret, setup] of world.totpSetups) {
      expect(setup.text).toContain(secret);
      const showing = recorded.filter((r) => r.raw.includes(secret));
      // The setup response itself, and nothing else.
      if (showing.length !== 1) leaks.push(...showing.map((r) => `${r.label} ${r.path}`));
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
    // The endpoints that answer with a user: the profile and verification.
    const userPaths = ['/users/me', '/auth/verify-email'];
    // (DELETE /users/me answers 204, with no body.)
    const userBodies = recorded.filter(
      (r) => r.status < 300 && r.status !== 204 && userPaths.includes(r.path),
    );
    expect(userBodies.length).toBeGreaterThan(10);
    for (const r of userBodies) {
      const body = JSON.parse(r.raw.slice(r.raw.indexOf('\n\n') + 2)) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(Object.keys(userSchema.shape).sort());
    }
    expect(API_PREFIX).toBe('/api/v1');
  });
});
