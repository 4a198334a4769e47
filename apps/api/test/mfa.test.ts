import { createHash } from 'node:crypto';
import {
  authTokensSchema,
  mfaChallengeSchema,
  recoveryCodesSchema,
  totpSetupSchema,
  userSchema,
} from '@repo/contracts';
import { type Credentials } from '@repo/test-support';
import jwt from 'jsonwebtoken';
import { Secret, URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envSchema } from '../src/core/config/env.schema.js';
import {
  bearer,
  get,
  login,
  post,
  refresh,
  refreshCookie,
  registerVerified,
} from './support/auth-client.js';
import {
  enableTotp,
  expectProblem,
  NO_RATE_LIMITS,
  sql,
  totpCode,
  wrongTotpCode,
} from './support/auth-extras.js';
import { RealtimeBus } from '../src/core/realtime-bus/realtime-bus.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const {
  JWT_ACCESS_SECRET: SECRET,
  JWT_ISSUER: ISSUER,
  JWT_AUDIENCE: AUDIENCE,
  TOTP_ISSUER,
} = envSchema.parse({});
const MFA_AUDIENCE = `${AUDIENCE}:mfa`;

describe('TOTP multi-factor authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
  });
  afterAll(() => t.close());

  const newUser = async () => {
    const credentials = await registerVerified(t);
    const session = await login(t, credentials);
    return { credentials, accessToken: session.accessToken, id: session.body.user.id };
  };

  /** A user with TOTP on; the current time step is used up by the enrolment. */
  const newMfaUser = async () => {
    const user = await newUser();
    return { ...user, ...(await enableTotp(t, user.accessToken)) };
  };

  const loginRaw = (credentials: Pick<Credentials, 'email' | 'password'>) =>
    post(t, '/auth/login', { email: credentials.email, password: credentials.password });

  const challenge = async (credentials: Credentials) => {
    const res = await loginRaw(credentials);
    expect(res.status).toBe(200);
    return mfaChallengeSchema.parse(await res.json()).mfaToken;
  };

  const verify = (mfaToken: string, code: string) =>
    post(t, '/auth/verify-mfa', { mfaToken, code });

  const mfaEnabled = async (accessToken: string) => {
    const res = await get(t, '/users/me', bearer(accessToken));
    expect(res.status).toBe(200);
    return userSchema.parse(await res.json()).mfaEnabled;
  };

  it('setup → wrong code → enable → MFA login → replay refused', async () => {
    const { credentials, accessToken } = await newUser();

    const setup = await post(t, '/auth/mfa/totp/setup', {}, bearer(accessToken));
    expect(setup.status).toBe(200);
    const { secret, otpauthUrl } = totpSetupSchema.parse(await setup.json());
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(url.searchParams.get('issuer')).toBe(TOTP_ISSUER);
    expect(url.searchParams.get('secret')).toBe(secret);
    const parsed = URI.parse(otpauthUrl);
    expect(parsed).toMatchObject({ issuer: TOTP_ISSUER, label: credentials.email });
    expect(parsed.secret.base32).toBe(secret);

    // Setting up alone does not turn it on.
    expect(await mfaEnabled(accessToken)).toBe(false);

    const wrong = await post(
      t,
      '/auth/mfa/totp/enable',
      { code: wrongTotpCode(secret) },
      bearer(accessToken),
    );
    await expectProblem(wrong, 400, 'invalid_mfa_code');
    expect(await mfaEnabled(accessToken)).toBe(false);

    const enabled = await post(
      t,
      '/auth/mfa/totp/enable',
      { code: totpCode(secret) },
      bearer(accessToken),
    );
    expect(enabled.status).toBe(200);
    const { recoveryCodes } = recoveryCodesSchema.parse(await enabled.json());
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{6}(-[a-z0-9]{6}){3}$/);
    expect(await mfaEnabled(accessToken)).toBe(true);

    // Enabling twice is a conflict; so is a new setup while it is on.
    await expectProblem(
      await post(t, '/auth/mfa/totp/enable', { code: totpCode(secret, 1) }, bearer(accessToken)),
      409,
      'conflict',
    );
    await expectProblem(
      await post(t, '/auth/mfa/totp/setup', {}, bearer(accessToken)),
      409,
      'conflict',
    );

    // The password alone now gets a challenge: no tokens, no cookie.
    const res = await loginRaw(credentials);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['methods', 'mfaRequired', 'mfaToken']);
    expect(mfaChallengeSchema.parse(body).mfaRequired).toBe(true);
    expect(refreshCookie(res)).toBeUndefined();
    expect(res.headers.getSetCookie()).toEqual([]);
    const mfaToken = body.mfaToken as string;

    // The next step's code (the current one was used up by the enrolment).
    const code = totpCode(secret, 1);
    const verified = await verify(mfaToken, code);
    expect(verified.status).toBe(200);
    const tokens = authTokensSchema.parse(await verified.json());
    expect(tokens.user).toMatchObject({ email: credentials.email, mfaEnabled: true });
    const cookie = refreshCookie(verified);
    expect(cookie).toBeDefined();
    expect(await mfaEnabled(tokens.accessToken)).toBe(true);
    expect((await refresh(t, cookie!)).status).toBe(200);

    // The same code again, with the same or a new challenge: refused.
    await expectProblem(await verify(mfaToken, code), 400, 'invalid_mfa_code');
    await expectProblem(await verify(await challenge(credentials), code), 400, 'invalid_mfa_code');
    // So is an earlier step's code, though still inside the ±1 window.
    await expectProblem(
      await verify(await challenge(credentials), totpCode(secret, -1)),
      400,
      'invalid_mfa_code',
    );
  });

  it("tells the user's other tabs and devices (user.updated) when MFA goes on and off", async () => {
    const seen: { topic: string; event: string; mfaEnabled?: boolean }[] = [];
    const off = t.app.get(RealtimeBus).onEvent((e) =>
      seen.push({
        topic: e.topic,
        event: e.event,
        mfaEnabled: (e.data as { user?: { mfaEnabled: boolean } }).user?.mfaEnabled,
      }),
    );
    try {
      const { id, accessToken, credentials, recoveryCodes } = await newMfaUser();
      const disabled = await post(
        t,
        '/auth/mfa/totp/disable',
        { password: credentials.password, code: recoveryCodes[0] },
        bearer(accessToken),
      );
      expect(disabled.status).toBe(204);
      expect(seen.filter((e) => e.topic === `user:${id}` && e.event === 'user.updated')).toEqual([
        { topic: `user:${id}`, event: 'user.updated', mfaEnabled: true },
        { topic: `user:${id}`, event: 'user.updated', mfaEnabled: false },
      ]);
    } finally {
      off();
    }
  });

  it('a recovery code works once, not twice', async () => {
    const { credentials, recoveryCodes } = await newMfaUser();
    const [first, second] = recoveryCodes;

    const ok = await verify(await challenge(credentials), first!);
    expect(ok.status).toBe(200);
    authTokensSchema.parse(await ok.json());
    expect(refreshCookie(ok)).toBeDefined();

    await expectProblem(
      await verify(await challenge(credentials), first!),
      400,
      'invalid_mfa_code',
    );
    // Another code still works, typed in capitals.
    const upper = await verify(await challenge(credentials), second!.toUpperCase());
    expect(upper.status).toBe(200);

    const rows = await sql<{ used: string }>(
      t,
      'SELECT count(*) FILTER (WHERE used_at IS NOT NULL) AS used FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = $1',
      [credentials.email],
    );
    expect(rows[0]!.used).toBe('2');
  });

  it('lets exactly one of two concurrent logins through with the same code', async () => {
    const { credentials, secret, recoveryCodes } = await newMfaUser();
    const code = totpCode(secret, 1);
    const [a, b] = [await challenge(credentials), await challenge(credentials)];
    const totp = await Promise.all([verify(a, code), verify(b, code)]);
    expect(totp.map((r) => r.status).sort()).toEqual([200, 400]);

    const [c, d] = [await challenge(credentials), await challenge(credentials)];
    const recovery = await Promise.all([
      verify(c, recoveryCodes[0]!),
      verify(d, recoveryCodes[0]!),
    ]);
    expect(recovery.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it('refuses a made-up recovery code and another user’s', async () => {
    const alice = await newMfaUser();
    const bob = await newMfaUser();
    await expectProblem(
      await verify(await challenge(alice.credentials), 'abcdef-ghjkmn-pqrstu-vwxyz2'),
      400,
      'invalid_mfa_code',
    );
    await expectProblem(
      await verify(await challenge(alice.credentials), bob.recoveryCodes[0]!),
      400,
      'invalid_mfa_code',
    );
    // Bob's code was not spent by the attempt.
    expect((await verify(await challenge(bob.credentials), bob.recoveryCodes[0]!)).status).toBe(
      200,
    );
  });

  it('refuses bad, expired and forged MFA tokens', async () => {
    const { credentials, id, recoveryCodes } = await newMfaUser();
    const code = recoveryCodes[0]!;
    const now = Math.floor(Date.now() / 1000);
    // A challenge carries a fingerprint of the password hash it was issued under.
    const [user] = await sql<{ password_hash: string }>(
      t,
      'SELECT password_hash FROM users WHERE id = $1',
      [id],
    );
    const pwv = createHash('sha256').update(user!.password_hash).digest('hex').slice(0, 16);
    const claims = { sub: id, typ: 'mfa', pwv, iss: ISSUER, aud: MFA_AUDIENCE };
    const sign = (payload: object, secret = SECRET) =>
      jwt.sign(payload, secret, { algorithm: 'HS256' });

    await expectProblem(await verify('not-a-jwt-at-all-but-long', code), 401, 'token_invalid');
    await expectProblem(
      await verify(sign({ ...claims, iat: now - 600, exp: now - 300 }), code),
      401,
      'token_expired',
    );
    await expectProblem(
      await verify(sign({ ...claims, iat: now, exp: now + 300 }, 'another-secret-0000'), code),
      401,
      'token_invalid',
    );
    await expectProblem(
      await verify(sign({ ...claims, iss: 'elsewhere', iat: now, exp: now + 300 }), code),
      401,
      'token_invalid',
    );
    // The access token of a session is no MFA challenge (another audience).
    const session = await login(t, await registerVerified(t));
    await expectProblem(await verify(session.accessToken, code), 401, 'token_invalid');
    // A real challenge with its signature tampered.
    const real = await challenge(credentials);
    const [h, p, s] = real.split('.');
    const other = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(p!, 'base64url').toString()),
        sub: session.body.user.id,
      }),
    ).toString('base64url');
    await expectProblem(await verify(`${h}.${other}.${s}`, code), 401, 'token_invalid');

    // Without the fingerprint (or with another one), a correctly signed challenge is refused too.
    const { pwv: _pwv, ...unbound } = claims;
    await expectProblem(
      await verify(sign({ ...unbound, iat: now, exp: now + 300 }), code),
      401,
      'token_invalid',
    );
    await expectProblem(
      await verify(sign({ ...claims, pwv: '0000000000000000', iat: now, exp: now + 300 }), code),
      401,
      'token_invalid',
    );

    // None of it spent the recovery code, and a well-formed token we sign ourselves passes:
    // the failures above are the attacks' (positive control).
    const ok = await verify(sign({ ...claims, iat: now, exp: now + 300 }), code);
    expect(ok.status).toBe(200);
    expect(authTokensSchema.parse(await ok.json()).user.id).toBe(id);
  });

  it('disable needs the right password and a valid code; then login gives tokens directly', async () => {
    const { credentials, accessToken, secret, id } = await newMfaUser();
    const pending = await challenge(credentials);
    const code = totpCode(secret, 1);

    await expectProblem(
      await post(
        t,
        '/auth/mfa/totp/disable',
        { password: 'not the password at all', code },
        bearer(accessToken),
      ),
      400,
      'wrong_password',
    );
    await expectProblem(
      await post(
        t,
        '/auth/mfa/totp/disable',
        { password: credentials.password, code: wrongTotpCode(secret) },
        bearer(accessToken),
      ),
      400,
      'invalid_mfa_code',
    );
    expect(await mfaEnabled(accessToken)).toBe(true);

    // The wrong-password attempt did not use up the code.
    const disabled = await post(
      t,
      '/auth/mfa/totp/disable',
      { password: credentials.password, code },
      bearer(accessToken),
    );
    expect(disabled.status).toBe(204);
    expect(await mfaEnabled(accessToken)).toBe(false);
    const [row] = await sql<{ totp_secret: string | null; totp_enabled_at: Date | null }>(
      t,
      'SELECT totp_secret, totp_enabled_at FROM users WHERE id = $1',
      [id],
    );
    expect(row).toEqual({ totp_secret: null, totp_enabled_at: null });
    expect(await sql(t, 'SELECT 1 FROM recovery_codes WHERE user_id = $1', [id])).toEqual([]);

    // Login gives tokens at once; a challenge from before is void.
    const session = await login(t, credentials);
    expect(authTokensSchema.parse(session.body).user.mfaEnabled).toBe(false);
    await expectProblem(await verify(pending, totpCode(secret, 1)), 401, 'token_invalid');
  });

  it('disable also takes a recovery code', async () => {
    const { credentials, accessToken, recoveryCodes } = await newMfaUser();
    const res = await post(
      t,
      '/auth/mfa/totp/disable',
      { password: credentials.password, code: recoveryCodes[3]! },
      bearer(accessToken),
    );
    expect(res.status).toBe(204);
    expect(await mfaEnabled(accessToken)).toBe(false);
  });

  it('hands out ten recovery codes of 112 bits and more: four groups of six of 31 characters', async () => {
    const { recoveryCodes } = await newMfaUser();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) {
      expect(code).toMatch(/^[a-hjkmnp-z2-9]{6}(-[a-hjkmnp-z2-9]{6}){3}$/);
    }
    expect(24 * Math.log2(31)).toBeGreaterThanOrEqual(112);
  });

  it('stores the TOTP secret encrypted and the recovery codes hashed', async () => {
    const { id, secret, recoveryCodes } = await newMfaUser();
    const [user] = await sql<{ totp_secret: string }>(
      t,
      'SELECT totp_secret FROM users WHERE id = $1',
      [id],
    );
    expect(user!.totp_secret).toEqual(expect.any(String));
    // Neither the base32 form nor the raw bytes in any usual encoding.
    const raw = Buffer.from(Secret.fromBase32(secret).bytes);
    for (const encoded of [
      secret,
      secret.toLowerCase(),
      raw.toString('hex'),
      raw.toString('base64'),
      raw.toString('base64url'),
    ]) {
      expect(user!.totp_secret).not.toContain(encoded);
    }

    const rows = await sql<{ code_hash: string }>(
      t,
      'SELECT code_hash FROM recovery_codes WHERE user_id = $1',
      [id],
    );
    expect(rows).toHaveLength(10);
    const stored = rows.map((r) => r.code_hash).join('\n');
    for (const code of recoveryCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace('-', ''));
    }
    for (const { code_hash } of rows) expect(code_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
