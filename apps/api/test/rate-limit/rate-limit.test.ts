import { newCredentials } from '@repo/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { get, post, registerVerified } from '../support/auth-client.js';
import { expectProblem } from '../support/session-checks.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Asserts a 429 rate_limited problem with a Retry-After of whole, positive seconds (≤ a minute). */
async function expectRateLimited(res: Response) {
  await expectProblem(res, 429, 'rate_limited');
  const retryAfter = res.headers.get('retry-after');
  expect(retryAfter).toMatch(/^[1-9]\d*$/);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
}

const WRONG_PASSWORD = 'not the password at all';

describe('login rate limit per email (RATE_LIMIT_LOGIN_PER_EMAIL=3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        RATE_LIMIT_LOGIN_PER_EMAIL: '3',
        RATE_LIMIT_LOGIN_PER_IP: '1000',
        RATE_LIMIT_AUTH_PER_IP: '1000',
      },
    });
  });
  afterAll(() => t.close());

  it('refuses the 4th wrong login for one email with 429, then even the right password', async () => {
    const credentials = await registerVerified(t);
    for (let i = 0; i < 3; i++) {
      const res = await post(t, '/auth/login', {
        email: credentials.email,
        password: WRONG_PASSWORD,
      });
      await expectProblem(res, 401, 'invalid_credentials');
    }
    await expectRateLimited(
      await post(t, '/auth/login', { email: credentials.email, password: WRONG_PASSWORD }),
    );
    await expectRateLimited(await post(t, '/auth/login', credentials));
    // The same address however it is typed.
    await expectRateLimited(
      await post(t, '/auth/login', {
        email: ` ${credentials.email.toUpperCase()} `,
        password: credentials.password,
      }),
    );
  });

  it('does not hold another email from the same IP to that limit', async () => {
    const limited = await registerVerified(t);
    const other = await registerVerified(t);
    for (let i = 0; i < 4; i++) {
      await post(t, '/auth/login', { email: limited.email, password: WRONG_PASSWORD });
    }
    await expectRateLimited(await post(t, '/auth/login', limited));
    const res = await post(t, '/auth/login', { email: other.email, password: other.password });
    expect(res.status).toBe(200);
  });
});

describe('login rate limit per IP (RATE_LIMIT_LOGIN_PER_IP=5)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        RATE_LIMIT_LOGIN_PER_IP: '5',
        RATE_LIMIT_LOGIN_PER_EMAIL: '1000',
        RATE_LIMIT_AUTH_PER_IP: '1000',
      },
    });
  });
  afterAll(() => t.close());

  it('refuses the 6th login from one IP with 429, whatever the email, right password included', async () => {
    const credentials = await registerVerified(t);
    for (let i = 0; i < 5; i++) {
      const res = await post(t, '/auth/login', {
        email: newCredentials().email,
        password: WRONG_PASSWORD,
      });
      await expectProblem(res, 401, 'invalid_credentials');
    }
    await expectRateLimited(
      await post(t, '/auth/login', { email: newCredentials().email, password: WRONG_PASSWORD }),
    );
    await expectRateLimited(
      await post(t, '/auth/login', { email: credentials.email, password: credentials.password }),
    );
  });
});

describe('auth rate limit per IP (RATE_LIMIT_AUTH_PER_IP=2)', () => {
  const LIMIT = 2;
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  // Each route gets an app of its own, so the counts cannot mix whether the bucket is per route
  // or shared between them.
  const routes: [string, () => unknown, number][] = [
    ['/auth/register', () => newCredentials(), 202],
    ['/auth/resend-verification', () => ({ email: newCredentials().email }), 202],
    ['/auth/request-password-reset', () => ({ email: newCredentials().email }), 202],
    [
      '/auth/verify-mfa',
      () => ({ mfaToken: 'not-a-real-mfa-challenge-token', code: '123456' }),
      401,
    ],
    [
      '/auth/reset-password',
      () => ({ token: 'not-a-real-reset-token-at-all', password: 'a brand new password' }),
      400,
    ],
  ];

  it.each(routes)('limits POST %s', async (path, body, okStatus) => {
    t = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_IP: String(LIMIT) } });
    for (let i = 0; i < LIMIT; i++) {
      expect((await post(t, path, body())).status).toBe(okStatus);
    }
    await expectRateLimited(await post(t, path, body()));
    await expectRateLimited(await post(t, path, body()));
  });
});

describe('routes without a limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        RATE_LIMIT_LOGIN_PER_IP: '1',
        RATE_LIMIT_LOGIN_PER_EMAIL: '1',
        RATE_LIMIT_AUTH_PER_IP: '1',
      },
    });
  });
  afterAll(() => t.close());

  it('GET /health is never limited, while the limited routes of the same app are', async () => {
    for (let i = 0; i < 30; i++) {
      const res = await get(t, '/health');
      expect(res.status).toBe(200);
      expect(res.headers.get('retry-after')).toBeNull();
    }
    // The limits are live in this app: the second login is already refused.
    const login = { email: newCredentials().email, password: WRONG_PASSWORD };
    expect((await post(t, '/auth/login', login)).status).toBe(401);
    await expectRateLimited(await post(t, '/auth/login', login));
    expect((await get(t, '/health')).status).toBe(200);
  });
});
