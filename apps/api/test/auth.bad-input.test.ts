import { BROWSER_ORIGIN } from './support/auth-client.js';
import { featureScenarios, type ScenarioRequest, successes } from './support/scenarios.js';
import { type TestUser, World } from './support/world.js';
import {
  API_PREFIX,
  type Endpoint,
  contract,
  endpointsOf,
  PROBLEM_CONTENT_TYPE,
  type ProblemCode,
  problemDetailsSchema,
  PROBLEMS,
} from '@repo/contracts';
import { type JsonSchema, jsonSchemaOf } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Snapshot, snapshotter } from './support/snapshot.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Bad input, for every endpoint of the contracts that takes a body (and every path parameter and
 * query): each request gets a 4xx problem with a contract code and a request id, never a 5xx, and
 * the whole run writes nothing to the database.
 */

const table = endpointsOf(contract).map((e): [string, Endpoint] => [e.id, e]);
const withBody = table.filter(([, e]) => e.body !== undefined);
/** Routes that take a request body without a schema for it: only the media type is checked. */
const bodilessWrites = table.filter(([, e]) => e.body === undefined && e.method !== 'GET');
const withParams = table.filter(([, e]) => e.path.includes('/:'));
const withQuery = table.filter(([, e]) => e.query !== undefined);

// ---------------------------------------------------------------------------------------------
// The shape of each body, to know its fields. The valid body every bad one starts from is the
// one of the endpoint's success scenario, declared beside the feature.

const isStringy = (s: JsonSchema): boolean =>
  s.type === 'string' ||
  (s.anyOf?.every(isStringy) ?? false) ||
  (s.type === 'array' && isStringy(s.items ?? {}));

const isEmail = (s: JsonSchema): boolean =>
  s.format === 'email' || (s.anyOf?.some(isEmail) ?? false);

// ---------------------------------------------------------------------------------------------
// Cases and their checks.

interface Case {
  label: string;
  method: string;
  path: string;
  contentType?: string | null;
  body?: string;
  /** Codes that are right for this input (the status follows from the code). */
  codes: ProblemCode[];
  /** For validation_failed: a field error must name this field (or a path below it). */
  field?: string;
}

const VALIDATION: ProblemCode[] = ['validation_failed'];
const TOO_BIG: ProblemCode[] = ['validation_failed', 'payload_too_large'];

/** The problem with a response, or undefined when it is the 4xx problem the case expects. */
async function whatIsWrong(res: Response, c: Case): Promise<string | undefined> {
  const text = await res.text();
  if (res.status < 400 || res.status >= 500) return `status ${res.status}: ${text.slice(0, 300)}`;
  const contentType = res.headers.get('content-type') ?? '';
  if (!contentType.startsWith(PROBLEM_CONTENT_TYPE))
    return `${res.status} with content-type "${contentType}": ${text.slice(0, 120)}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `a body that is not JSON: ${text.slice(0, 200)}`;
  }
  const parsed = problemDetailsSchema.safeParse(json);
  if (!parsed.success) return `not a problem of the contracts: ${text.slice(0, 300)}`;
  const problem = parsed.data;
  if (!c.codes.includes(problem.code))
    return `${res.status} ${problem.code} (want ${c.codes.join(' or ')}): ${problem.detail}`;
  if (problem.status !== res.status || PROBLEMS[problem.code].status !== res.status)
    return `status ${res.status} with body status ${problem.status} for ${problem.code}`;
  if (!problem.requestId || problem.requestId !== res.headers.get('x-request-id'))
    return `requestId "${problem.requestId}" vs header "${res.headers.get('x-request-id')}"`;
  if (problem.code === 'validation_failed') {
    const paths = (problem.errors ?? []).map((e) => e.path);
    if (paths.length === 0) return 'validation_failed without field errors';
    if (c.field !== undefined && !paths.some((p) => p === c.field || p.startsWith(`${c.field}.`)))
      return `field errors ${JSON.stringify(paths)} do not name "${c.field}"`;
  }
  return undefined;
}

describe('bad input never gets past validation, never 5xx, never writes', () => {
  let t: TestApp;
  let session: TestUser;
  /** The request of each endpoint's success scenario, by endpoint id. */
  const samples = new Map<string, ScenarioRequest>();
  let snap: Awaited<ReturnType<typeof snapshotter>>;
  let before: Snapshot;
  let sent = 0;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        RATE_LIMIT_LOGIN_PER_IP: '10000',
        RATE_LIMIT_LOGIN_PER_EMAIL: '10000',
        RATE_LIMIT_AUTH_PER_IP: '10000',
        RATE_LIMIT_EMAIL_CODE_PER_EMAIL: '10000',
      },
    });
    const world = new World(t);
    session = await world.user();
    for (const [id, success] of successes(await featureScenarios())) {
      samples.set(id, await success.request(world));
    }
    snap = await snapshotter(t.databaseUrl);
    // Once the work the setup started after its responses (mails, events) has landed.
    before = await snap.settled();
  });
  afterAll(async () => {
    await snap?.close();
    await t.close();
  });

  /** What a real caller of the endpoint would send: its access token, or its refresh cookie. */
  const authHeaders = (e: Endpoint): Record<string, string> => {
    if (e.access === 'public') return {};
    if (e.access === 'refresh-cookie') return { cookie: session.cookie };
    return { authorization: `Bearer ${session.accessToken}` };
  };

  const send = (e: Endpoint, c: Case) => {
    const headers: Record<string, string> = { origin: BROWSER_ORIGIN, ...authHeaders(e) };
    if (c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/json';
    sent++;
    // fetch labels a string body text/plain; bytes go without any Content-Type.
    const body = c.contentType === null && c.body !== undefined ? Buffer.from(c.body) : c.body;
    return fetch(`${t.api}${c.path}`, {
      method: c.method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
  };

  /** Sends every case; fails once, listing every case that was not answered as expected. */
  const expectProblems = async (e: Endpoint, cases: Case[]) => {
    expect(cases.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const c of cases) {
      const wrong = await whatIsWrong(await send(e, c), c);
      if (wrong) failures.push(`${c.method} ${c.path.slice(0, 60)} ${c.label}: ${wrong}`);
    }
    expect(failures).toEqual([]);
  };

  it('has the database and a user to act as', () => {
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining([
        'users',
        'sessions',
        'email_tokens',
        'recovery_codes',
        'api_keys',
        'mail_outbox',
      ]),
    );
    expect(before.users!.rows).toBeGreaterThan(1);
    expect(before.sessions!.rows).toBeGreaterThan(1);
    expect(withBody.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(withBody)('%s', (name, e) => {
    const schema = e.body!;
    const json = jsonSchemaOf(schema);
    const properties = Object.entries(json.properties ?? {});
    const base = { method: e.method, path: e.path };
    let sample: Record<string, unknown>;
    const invalid = (body: unknown) => !schema.safeParse(body).success;

    beforeAll(() => {
      // A success that sends no body sends `{}` (the cookie endpoints, from a browser).
      const success = samples.get(e.id);
      sample = (success && (success.body ?? {})) as Record<string, unknown>;
    });

    it('has a valid body in its success scenario (the base of every bad one)', () => {
      expect(json.type).toBe('object');
      expect(sample, 'the feature declares a success scenario').toBeDefined();
      expect(schema.safeParse(sample).error).toBeUndefined();
    });

    // Only where something is required: when every field is optional, `{}` is a valid body.
    if ((json.required ?? []).length > 0) {
      it('missing fields → 400 validation_failed', async () => {
        expect(invalid({})).toBe(true);
        const required = json.required!;
        const cases: Case[] = [
          { ...base, label: '{}', body: '{}', codes: VALIDATION, field: required[0] },
        ];
        for (const field of required) {
          const { [field]: _dropped, ...rest } = sample;
          expect(invalid(rest)).toBe(true);
          cases.push({
            ...base,
            label: `without ${field}`,
            body: JSON.stringify(rest),
            codes: VALIDATION,
            field,
          });
        }
        await expectProblems(e, cases);
      });
    }

    it('extra fields → 400 validation_failed', async () => {
      const extras: Record<string, unknown>[] = [
        { extra: 'x' },
        { admin: true },
        { role: 'admin' },
        { id: '00000000-0000-4000-8000-000000000000' },
        { emailVerified: true, mfaEnabled: false },
        { userId: '00000000-0000-4000-8000-000000000000' },
        { passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$AAAA$BBBB' },
      ];
      // Fields the schema has are not extra (a role change's `role`).
      const known = new Set(properties.map(([field]) => field));
      const cases = extras
        .filter((extra) => Object.keys(extra).every((field) => !known.has(field)))
        .map((extra) => {
          const body = { ...sample, ...extra };
          expect(invalid(body)).toBe(true);
          return {
            ...base,
            label: `+${Object.keys(extra).join('+')}`,
            body: JSON.stringify(body),
            codes: VALIDATION,
          };
        });
      await expectProblems(e, cases);
    });

    it('wrong types (numbers, booleans, arrays, objects, null) → 400 validation_failed', async () => {
      const cases: Case[] = [];
      for (const [field] of properties) {
        const value = sample[field];
        const wrongs = [42, -1.5, '42', true, null, [value], {}, { value }].filter((wrong) =>
          invalid({ ...sample, [field]: wrong }),
        );
        // At least a number or string of the other kind, a boolean, null, an array and an object.
        expect(wrongs.length, field).toBeGreaterThanOrEqual(6);
        for (const wrong of wrongs) {
          cases.push({
            ...base,
            label: `${field}: ${JSON.stringify(wrong)}`,
            body: JSON.stringify({ ...sample, [field]: wrong }),
            codes: VALIDATION,
            field,
          });
        }
      }
      await expectProblems(e, cases);
    });

    it('huge strings (100 kB in a field, 2 MB in the body) → 400 or 413', async () => {
      const cases: Case[] = [];
      const huge = ['a'.repeat(100_000), 'ü'.repeat(50_000), `${'a'.repeat(100_000)}@example.com`];
      for (const [field, p] of properties.filter(([, p]) => isStringy(p))) {
        for (const value of huge) {
          const wrong = p.type === 'array' ? [value] : value;
          expect(invalid({ ...sample, [field]: wrong })).toBe(true);
          cases.push({
            ...base,
            label: `${field}: ${value.length} chars`,
            body: JSON.stringify({ ...sample, [field]: wrong }),
            codes: TOO_BIG,
            field,
          });
        }
      }
      cases.push({
        ...base,
        label: '2 MB body',
        body: JSON.stringify({ ...sample, padding: 'p'.repeat(2_000_000) }),
        codes: ['payload_too_large'],
      });
      await expectProblems(e, cases);
    });

    it('a body that is not a JSON object → 415 or 400', async () => {
      const valid = JSON.stringify(sample);
      const form = new URLSearchParams(
        Object.entries(sample).map(([k, v]): [string, string] => [k, JSON.stringify(v)]),
      ).toString();
      const cases: Case[] = [
        {
          ...base,
          label: 'text/plain',
          contentType: 'text/plain',
          body: valid,
          codes: ['unsupported_media_type'],
        },
        {
          ...base,
          label: 'text/plain;charset',
          contentType: 'text/plain; charset=utf-8',
          body: valid,
          codes: ['unsupported_media_type'],
        },
        {
          ...base,
          label: 'form',
          contentType: 'application/x-www-form-urlencoded',
          body: form,
          codes: ['unsupported_media_type'],
        },
        {
          ...base,
          label: 'multipart',
          contentType: 'multipart/form-data; boundary=xyz',
          body: `--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--xyz--\r\n`,
          codes: ['unsupported_media_type'],
        },
        {
          ...base,
          label: 'xml',
          contentType: 'application/xml',
          body: '<a>b</a>',
          codes: ['unsupported_media_type'],
        },
        {
          ...base,
          label: 'no content-type',
          contentType: null,
          body: valid,
          codes: ['unsupported_media_type'],
        },
        { ...base, label: 'truncated JSON', body: valid.slice(0, -1), codes: ['malformed_json'] },
        {
          ...base,
          label: 'single quotes',
          body: valid.replaceAll('"', "'"),
          codes: ['malformed_json'],
        },
        {
          ...base,
          label: 'trailing comma',
          body: `${valid.slice(0, -1)},}`,
          codes: ['malformed_json'],
        },
        { ...base, label: 'two objects', body: `${valid}${valid}`, codes: ['malformed_json'] },
        { ...base, label: 'NaN', body: 'NaN', codes: ['malformed_json'] },
        { ...base, label: 'empty', body: '', codes: ['malformed_json'] },
        { ...base, label: 'JSON null', body: 'null', codes: VALIDATION },
        { ...base, label: 'JSON array', body: `[${valid}]`, codes: VALIDATION },
        { ...base, label: 'JSON string', body: JSON.stringify(valid), codes: VALIDATION },
        { ...base, label: 'JSON number', body: '42', codes: VALIDATION },
        { ...base, label: 'JSON true', body: 'true', codes: VALIDATION },
      ];
      await expectProblems(e, cases);
    });

    const emailFields = properties.filter(([, p]) => isEmail(p)).map(([field]) => field);
    if (emailFields.length > 0) {
      it('unicode and invalid e-mails → 400 validation_failed', async () => {
        const bad = [
          'ü@exämple.com',
          'user@exämple.com',
          'ü@example.com',
          'a@b',
          ' ',
          '',
          'no-at-sign',
          'two@@example.com',
          '.dot@example.com',
          'a@exa mple.com',
          'a b@example.com',
          '<a@example.com>',
          `${'a'.repeat(250)}@example.com`,
        ];
        const cases: Case[] = [];
        for (const field of emailFields) {
          for (const email of bad) {
            expect(invalid({ ...sample, [field]: email }), email).toBe(true);
            cases.push({
              ...base,
              label: `${field}: ${JSON.stringify(email)}`,
              body: JSON.stringify({ ...sample, [field]: email }),
              codes: VALIDATION,
              field,
            });
          }
        }
        await expectProblems(e, cases);
      });
    }

    it('a __proto__ or constructor key → 400, and no prototype is polluted', async () => {
      const rest = JSON.stringify(sample).slice(1);
      const [first] = properties[0]!;
      const cases: Case[] = [
        {
          ...base,
          label: '__proto__',
          body: `{"__proto__":{"admin":true},${rest}`,
          codes: ['malformed_json', 'validation_failed'],
        },
        {
          ...base,
          label: '__proto__ last',
          body: `${JSON.stringify(sample).slice(0, -1)},"__proto__":{"admin":true}}`,
          codes: ['malformed_json', 'validation_failed'],
        },
        {
          ...base,
          label: 'constructor.prototype',
          body: `{"constructor":{"prototype":{"admin":true}},${rest}`,
          codes: ['malformed_json', 'validation_failed'],
        },
        {
          ...base,
          label: 'nested __proto__',
          body: JSON.stringify({ ...sample, [first]: { nested: true } }).replace(
            '"nested":true',
            '"__proto__":{"admin":true}',
          ),
          codes: ['malformed_json', 'validation_failed'],
        },
      ];
      await expectProblems(e, cases);
      expect(({} as { admin?: unknown }).admin).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('admin');
    });
  });

  describe.each(bodilessWrites)('%s (no body schema)', (_name, e) => {
    it('a body that is not JSON → 415 or 400, and the route does not run', async () => {
      const base = { method: e.method, path: e.path };
      await expectProblems(e, [
        {
          ...base,
          label: 'text/plain',
          contentType: 'text/plain',
          body: '{}',
          codes: ['unsupported_media_type'],
        },
        {
          ...base,
          label: 'form',
          contentType: 'application/x-www-form-urlencoded',
          body: 'a=b',
          codes: ['unsupported_media_type'],
        },
        { ...base, label: 'malformed JSON', body: '{"a":', codes: ['malformed_json'] },
        {
          ...base,
          label: '__proto__',
          body: '{"__proto__":{"admin":true}}',
          codes: ['malformed_json', 'validation_failed'],
        },
      ]);
    });
  });

  describe.each(withParams)('%s', (_name, e) => {
    it('path parameters that are not UUIDs → 400', async () => {
      const notUuid: ProblemCode[] = ['bad_request', 'validation_failed'];
      const encoded = (value: string): [string, string] => [value, encodeURIComponent(value)];
      /** [what it is, the path segment as sent, the codes that are right for it] */
      const bad: [string, string, ProblemCode[]][] = [
        ...[
          'not-a-uuid',
          '1',
          '0',
          '-1',
          '123e4567-e89b-12d3-a456-42661417400', // one digit short
          '123e4567-e89b-12d3-a456-4266141740000', // one digit long
          '123e4567-e89b-12d3-a456-42661417400g',
          '{123e4567-e89b-12d3-a456-426614174000}',
          "' OR 1=1 --",
          'null',
          'ü',
        ].map((value): [string, string, ProblemCode[]] => [...encoded(value), notUuid]),
        // An invalid percent-escape: the router cannot decode the parameter.
        ['%zz', '%zz', notUuid],
        ['%E0%A4%A', '%E0%A4%A', notUuid],
        // Longer than Fastify's maxParamLength (100 characters).
        ['2000 × a', 'a'.repeat(2000), [...notUuid, 'not_found', 'uri_too_long']],
      ];
      const cases = bad.map(([label, segment, codes]) => ({
        label,
        method: e.method,
        path: e.path.replace(/:\w+/g, segment),
        ...(e.method === 'GET' || e.method === 'DELETE' ? { contentType: null } : { body: '{}' }),
        codes,
      }));
      await expectProblems(e, cases);
    });
  });

  it('DELETE /auth/sessions/not-a-uuid and DELETE /api-keys/1 → 400 naming the id', async () => {
    for (const path of ['/auth/sessions/not-a-uuid', '/api-keys/1']) {
      const res = await fetch(`${t.api}${path}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
      sent++;
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
      const problem = problemDetailsSchema.parse(await res.json());
      expect(problem).toMatchObject({
        code: 'validation_failed',
        instance: `${API_PREFIX}${path}`,
        errors: [expect.objectContaining({ path: 'id' })],
      });
      expect(problem.requestId).toBe(res.headers.get('x-request-id'));
    }
  });

  describe.each(withQuery)('%s', (_name, e) => {
    it('bad query parameters → 400 validation_failed', async () => {
      const json = jsonSchemaOf(e.query!);
      const cases: Case[] = [
        {
          label: 'unknown key',
          method: e.method,
          path: `${e.path}?unexpected=1`,
          contentType: null,
          codes: VALIDATION,
        },
      ];
      for (const [field, p] of Object.entries(json.properties ?? {})) {
        const values = isEmail(p)
          ? ['ü@exämple.com', 'a@b', ' ', 'x'.repeat(300)]
          : ['x'.repeat(300)];
        for (const value of values) {
          expect(e.query!.safeParse({ [field]: value }).success).toBe(false);
          cases.push({
            label: `${field}=${value.slice(0, 20)}`,
            method: e.method,
            path: `${e.path}?${new URLSearchParams({ [field]: value }).toString()}`,
            contentType: null,
            codes: VALIDATION,
            field,
          });
        }
      }
      // A query too long for the HTTP parser (over 16 KB of request line and headers) is refused
      // before any route: still a problem, from the server's client-error handler.
      cases.push({
        label: '100 kB query',
        method: e.method,
        path: `${e.path}?${new URLSearchParams({ q: 'x'.repeat(100_000) }).toString()}`,
        contentType: null,
        codes: ['headers_too_large'],
      });
      await expectProblems(e, cases);
    });
  });

  it('wrote nothing: every table is as it was before the bad input', async () => {
    // Several hundred bad requests were sent (the run did happen)...
    expect(sent).toBeGreaterThan(withBody.length * 50);
    // ...and work that runs after the response (password reset, resend) has landed.
    expect(await snap.settled()).toEqual(before);
    // The user is still logged in: nothing revoked the session.
    const me = await fetch(`${t.api}/users/me`, {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect(me.status).toBe(200);
  });
});
