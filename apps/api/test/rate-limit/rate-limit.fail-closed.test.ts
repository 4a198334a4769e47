import { getStorageToken } from '@nestjs/throttler';
import { newCredentials } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RateLimitStore } from '../../src/core/rate-limit/rate-limit-store.js';
import { get, post } from '../support/auth-client.js';
import { expectProblem, NO_RATE_LIMITS } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * When the rate limit store cannot be reached (here: its pool is closed, the app's database is
 * fine), the routes that check a password or a one-time code refuse (503) rather than let
 * unlimited guesses through; the other limited routes go on, with a warning in the log.
 */
describe('rate limits when their store cannot be reached', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
  });
  afterAll(() => t.close());

  const guesses: [string, () => unknown][] = [
    ['/auth/login', () => ({ email: newCredentials().email, password: 'a wrong password' })],
    ['/auth/verify-mfa', () => ({ mfaToken: 'not-a-real-mfa-challenge-token', code: '123456' })],
    ['/auth/email-code/verify', () => ({ email: newCredentials().email, code: '123456' })],
    ['/auth/email-code/request', () => ({ email: newCredentials().email })],
  ];

  it('answers as usual while the store is up', async () => {
    const [path, body] = guesses[0]!;
    await expectProblem(await post(t, path, body()), 401, 'invalid_credentials');
  });

  describe('once the store is down', () => {
    beforeAll(async () => {
      await t.app.get<RateLimitStore>(getStorageToken()).close();
    });

    it.each(guesses)('refuses POST %s with 503 service_unavailable', async (path, body) => {
      const problem = await expectProblem(await post(t, path, body()), 503, 'service_unavailable');
      expect(problem.detail).toMatch(/try again/);
    });

    it('lets POST /auth/register through, and logs a warning that its limit was not applied', async () => {
      expect((await post(t, '/auth/register', newCredentials())).status).toBe(202);
      await expect
        .poll(() =>
          t.logs.some(
            (line) => line.level === 40 && /Rate limit auth-ip not applied/.test(String(line.msg)),
          ),
        )
        .toBe(true);
    });

    it('leaves routes without a limit alone', async () => {
      expect((await get(t, '/health')).status).toBe(200);
    });
  });
});
