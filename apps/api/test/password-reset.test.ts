import {
  mfaChallengeSchema,
  type OutboxMessage,
  outboxListSchema,
  userSchema,
} from '@repo/contracts';
import { type Credentials, newCredentials } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  get,
  lastEmail,
  login,
  post,
  refresh,
  registerUnverified,
  registerVerified,
  tokenOf,
} from './support/auth-client.js';
import { enableTotp, expectProblem, NO_RATE_LIMITS, sql } from './support/auth-extras.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const NEW_PASSWORD = 'a brand new passphrase, long enough';

describe('password reset and change', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
  });
  afterAll(() => t.close());

  const me = (accessToken: string) => get(t, '/users/me', bearer(accessToken));
  const loginRaw = (email: string, password: string) => post(t, '/auth/login', { email, password });
  const outbox = async (to: string): Promise<OutboxMessage[]> => {
    const res = await get(t, `/dev/outbox?to=${encodeURIComponent(to)}`);
    expect(res.status).toBe(200);
    return outboxListSchema.parse(await res.json());
  };

  /** Asks for a reset link and returns the token of the email it brings. */
  const requestReset = async (credentials: Credentials) => {
    const before = (await outbox(credentials.email)).length;
    const res = await post(t, '/auth/request-password-reset', { email: credentials.email });
    expect(res.status).toBe(202);
    await expect.poll(async () => (await outbox(credentials.email)).length).toBe(before + 1);
    const email = await lastEmail(t, credentials.email, /Reset/);
    return tokenOf(email.link);
  };

  const reset = (token: string, password = NEW_PASSWORD) =>
    post(t, '/auth/reset-password', { token, password });

  it('answers a known and an unknown email alike; only the known one gets the link', async () => {
    const known = await registerVerified(t);
    const unknown = newCredentials();

    // The unknown one first: by the time the known one's email is written, its work is done.
    const a = await post(t, '/auth/request-password-reset', { email: unknown.email });
    const b = await post(t, '/auth/request-password-reset', { email: known.email });
    expect([a.status, b.status]).toEqual([202, 202]);
    const [bodyA, bodyB] = [await a.text(), await b.text()];
    expect(bodyA).toBe(bodyB);
    expect(a.headers.get('content-type')).toBe(b.headers.get('content-type'));

    const email = await lastEmail(t, known.email, /Reset/);
    expect(email.to).toBe(known.email);
    expect(email.link).toMatch(/^http:\/\/localhost:3000\/reset-password\?token=[\w-]{16,}$/);
    expect(email.text).toContain(email.link);
    expect(await outbox(unknown.email)).toEqual([]);
    expect(await sql(t, `SELECT 1 FROM mail_outbox WHERE "to" = $1`, [unknown.email])).toEqual([]);
  });

  it('reset → every session ends → the new password works, the old does not → the link is spent', async () => {
    const credentials = await registerVerified(t);
    const first = await login(t, credentials);
    const second = await login(t, credentials);
    expect((await me(first.accessToken)).status).toBe(200);

    const token = await requestReset(credentials);
    // The token is stored hashed only.
    expect(await sql(t, 'SELECT 1 FROM email_tokens WHERE token_hash = $1', [token])).toEqual([]);

    const res = await reset(token);
    expect(res.status).toBe(204);

    for (const session of [first, second]) {
      await expectProblem(await me(session.accessToken), 401, 'token_invalid');
      await expectProblem(await refresh(t, session.cookie), 401, 'token_invalid');
    }

    await expectProblem(
      await loginRaw(credentials.email, credentials.password),
      401,
      'invalid_credentials',
    );
    const fresh = await login(t, { email: credentials.email, password: NEW_PASSWORD });
    expect((await me(fresh.accessToken)).status).toBe(200);

    // Once only: a second use fails and leaves the password as it is.
    await expectProblem(await reset(token, 'yet another passphrase here'), 400, 'link_invalid');
    await expectProblem(
      await loginRaw(credentials.email, 'yet another passphrase here'),
      401,
      'invalid_credentials',
    );
    // The session started after the reset was not touched by the failed second use.
    expect((await me(fresh.accessToken)).status).toBe(200);
  });

  it('a link works once even when used twice at the same moment', async () => {
    const credentials = await registerVerified(t);
    const token = await requestReset(credentials);
    const results = await Promise.all([
      reset(token, 'first concurrent passphrase'),
      reset(token, 'second concurrent passphrase'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 400]);
    const winner = results[0].status === 204 ? 'first' : 'second';
    expect((await loginRaw(credentials.email, `${winner} concurrent passphrase`)).status).toBe(200);
  });

  it('a login left at the MFA step with the old password cannot be finished after a reset', async () => {
    const credentials = await registerVerified(t);
    const session = await login(t, credentials);
    const { recoveryCodes } = await enableTotp(t, session.accessToken);
    // Someone with the old password got as far as the second factor...
    const started = await loginRaw(credentials.email, credentials.password);
    const { mfaToken } = mfaChallengeSchema.parse(await started.json());
    // ...then the owner resets the password: whoever had the old one must be out.
    expect((await reset(await requestReset(credentials))).status).toBe(204);
    await expectProblem(await me(session.accessToken), 401, 'token_invalid');
    const finished = await post(t, '/auth/verify-mfa', { mfaToken, code: recoveryCodes[0] });
    await expectProblem(finished, 401, 'token_invalid');
  });

  it('refuses a link older than an hour', async () => {
    const credentials = await registerVerified(t);
    const session = await login(t, credentials);
    const token = await requestReset(credentials);

    const aged = await sql(
      t,
      `UPDATE email_tokens
          SET created_at = created_at - interval '61 minutes',
              expires_at = expires_at - interval '61 minutes'
        WHERE user_id = $1 AND purpose = 'reset_password' AND used_at IS NULL
        RETURNING id`,
      [session.body.user.id],
    );
    expect(aged).toHaveLength(1);

    await expectProblem(await reset(token), 400, 'link_invalid');
    // Nothing changed: the old password still works, the session is still live.
    expect((await me(session.accessToken)).status).toBe(200);
    expect((await loginRaw(credentials.email, credentials.password)).status).toBe(200);
    await expectProblem(
      await loginRaw(credentials.email, NEW_PASSWORD),
      401,
      'invalid_credentials',
    );
  });

  it('a newer link replaces the older one', async () => {
    const credentials = await registerVerified(t);
    const older = await requestReset(credentials);
    const newer = await requestReset(credentials);
    expect(newer).not.toBe(older);
    await expectProblem(await reset(older), 400, 'link_invalid');
    expect((await reset(newer)).status).toBe(204);
  });

  it('refuses a made-up token and an email verification token', async () => {
    await expectProblem(await reset('x'.repeat(43)), 400, 'link_invalid');
    // A verification link's token is for another purpose.
    const credentials = newCredentials();
    const verification = await registerUnverified(t, credentials);
    await expectProblem(await reset(tokenOf(verification.link)), 400, 'link_invalid');
    // ...and is still good for what it is for.
    const verified = await post(t, '/auth/verify-email', { token: tokenOf(verification.link) });
    expect(verified.status).toBe(200);
  });

  it('a reset also confirms an unverified email address', async () => {
    const credentials = newCredentials();
    await registerUnverified(t, credentials);
    await expectProblem(
      await loginRaw(credentials.email, credentials.password),
      403,
      'email_not_verified',
    );
    const token = await requestReset(credentials);
    expect((await reset(token)).status).toBe(204);
    const session = await login(t, { email: credentials.email, password: NEW_PASSWORD });
    expect(userSchema.parse(session.body.user).emailVerified).toBe(true);
  });

  describe('change-password', () => {
    const change = (accessToken: string, currentPassword: string, newPassword = NEW_PASSWORD) =>
      post(t, '/auth/change-password', { currentPassword, newPassword }, bearer(accessToken));

    it('refuses a wrong current password and changes nothing', async () => {
      const credentials = await registerVerified(t);
      const caller = await login(t, credentials);
      const other = await login(t, credentials);

      await expectProblem(
        await change(caller.accessToken, 'not the current password'),
        400,
        'wrong_password',
      );
      expect((await me(other.accessToken)).status).toBe(200);
      expect((await loginRaw(credentials.email, credentials.password)).status).toBe(200);
      await expectProblem(
        await loginRaw(credentials.email, NEW_PASSWORD),
        401,
        'invalid_credentials',
      );
    });

    it('changes it, keeps the caller’s session and ends the others', async () => {
      const credentials = await registerVerified(t);
      const caller = await login(t, credentials);
      const other = await login(t, credentials);
      const third = await login(t, credentials);

      const res = await change(caller.accessToken, credentials.password);
      expect(res.status).toBe(204);

      // The caller goes on: access token and refresh cookie both still work.
      expect((await me(caller.accessToken)).status).toBe(200);
      expect((await refresh(t, caller.cookie)).status).toBe(200);
      // Everyone else is out.
      for (const session of [other, third]) {
        await expectProblem(await me(session.accessToken), 401, 'token_invalid');
        await expectProblem(await refresh(t, session.cookie), 401, 'token_invalid');
      }
      const live = await sql<{ id: string }>(
        t,
        'SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL',
        [caller.body.user.id],
      );
      expect(live).toHaveLength(1);

      expect((await loginRaw(credentials.email, NEW_PASSWORD)).status).toBe(200);
      await expectProblem(
        await loginRaw(credentials.email, credentials.password),
        401,
        'invalid_credentials',
      );
    });

    it('refuses a new password shorter than the policy, and an API key', async () => {
      const credentials = await registerVerified(t);
      const session = await login(t, credentials);
      await expectProblem(
        await change(session.accessToken, credentials.password, 'short'),
        400,
        'validation_failed',
      );
      const created = await post(
        t,
        '/api-keys',
        { name: 'k', scopes: ['read', 'write'] },
        bearer(session.accessToken),
      );
      expect(created.status).toBe(201);
      const { secret } = (await created.json()) as { secret: string };
      await expectProblem(
        await post(
          t,
          '/auth/change-password',
          { currentPassword: credentials.password, newPassword: NEW_PASSWORD },
          { 'x-api-key': secret },
        ),
        401,
        'api_key_invalid',
      );
      expect((await loginRaw(credentials.email, credentials.password)).status).toBe(200);
    });
  });
});
