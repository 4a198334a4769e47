import {
  type ProblemCode,
  problemDetailsSchema,
  recoveryCodesSchema,
  totpSetupSchema,
} from '@repo/contracts';
import { Secret, TOTP } from 'otpauth';
import pg from 'pg';
import { expect } from 'vitest';
import { BROWSER_ORIGIN, bearer, post } from './auth-client.js';
import { type TestApp } from './test-app.js';

/** Rate limits high enough that a test file's own traffic never trips them. */
export const NO_RATE_LIMITS = {
  RATE_LIMIT_LOGIN_PER_IP: '10000',
  RATE_LIMIT_LOGIN_PER_EMAIL: '10000',
  RATE_LIMIT_AUTH_PER_IP: '10000',
  RATE_LIMIT_EMAIL_CODE_PER_EMAIL: '10000',
  RATE_LIMIT_INVITES_PER_ORG: '10000',
};

/** Runs one statement on the test app's database, on a connection of its own; returns the rows. */
export async function sql<R extends pg.QueryResultRow = Record<string, unknown>>(
  t: Pick<TestApp, 'databaseUrl'>,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Asserts an RFC 9457 answer with this status and machine code; returns the problem. */
export async function expectProblem(res: Response, status: number, code: ProblemCode) {
  const body: unknown = await res.json();
  expect({ status: res.status, code: (body as { code?: unknown }).code }).toEqual({
    status,
    code,
  });
  return problemDetailsSchema.parse(body);
}

/** A JSON request with any method, as the web app sends it. */
export const send = (
  t: TestApp,
  method: 'PATCH' | 'DELETE' | 'PUT',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) =>
  fetch(`${t.api}${path}`, {
    method,
    headers: {
      origin: BROWSER_ORIGIN,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** TOTP as an authenticator app computes it (SHA-1, 6 digits, 30 s). */
const totpOf = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), period: 30 });

/** The code of the time step `steps` away from now (0: the current code, 1: the next one). */
export const totpCode = (secret: string, steps = 0) =>
  totpOf(secret).generate({ timestamp: Date.now() + steps * 30_000 });

/** A well-formed code that is none of the codes around now (valid steps are now ± 1). */
export function wrongTotpCode(secret: string): string {
  const near = new Set([-3, -2, -1, 0, 1, 2, 3].map((s) => totpCode(secret, s)));
  const candidates = ['000000', '123456', '999999', '424242', '135790'];
  return candidates.find((c) => !near.has(c))!;
}

/** Turns TOTP on for the user of the access token (the current step's code is used up). */
export async function enableTotp(t: TestApp, accessToken: string) {
  const setup = await post(t, '/auth/mfa/totp/setup', {}, bearer(accessToken));
  expect(setup.status).toBe(200);
  const { secret, otpauthUrl } = totpSetupSchema.parse(await setup.json());
  const enabled = await post(
    t,
    '/auth/mfa/totp/enable',
    { code: totpCode(secret) },
    bearer(accessToken),
  );
  expect(enabled.status).toBe(200);
  const { recoveryCodes } = recoveryCodesSchema.parse(await enabled.json());
  return { secret, otpauthUrl, recoveryCodes };
}
