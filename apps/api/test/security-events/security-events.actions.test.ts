import { contract, type SecurityEvent } from '@repo/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordlessUser, requestCode } from '../email-code/mailed-code.js';
import { NO_RATE_LIMITS } from '../support/auth-extras.js';
import { gitHubAccount, linkGitHub } from '../support/oauth.js';
import { addPasskey, passkeySignIn, passkeyUser } from '../support/passkey-world.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { totpCode, World } from '../support/world.js';
import { eventOf, eventsOf, expectOneNotice, mailsTo } from './security-events.client.js';

const { auth, sessions, mfa, apiKeys, passkeys, oauth, emailCode, password } = contract;

/** Every security-relevant action, walked through the API, leaves its event (and its notice). */
describe('the audit log records each action', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    // No grace: a replayed refresh token is reuse at once.
    t = await startTestApp({ env: { ...NO_RATE_LIMITS, REFRESH_GRACE_SECONDS: '0' } });
    w = new World(t);
  });
  afterAll(() => t.close());

  const types = (events: SecurityEvent[]) => events.map((e) => e.type);

  it('registration: the email confirmed, then the password sign-in (no notice for either)', async () => {
    const user = await w.user();
    const events = await eventsOf(w, user);
    expect(types(events)).toEqual(['login_succeeded', 'email_verified']);
    expect(events[0]).toMatchObject({
      ip: '127.0.0.1',
      userAgent: 'node',
      device: 'Other client (node)',
      details: { device: 'Other client (node)' },
    });
    expect(await mailsTo(w, user.email, /^(?!Confirm)/)).toEqual([]);
  });

  it('a wrong password for an account is recorded, without the password tried', async () => {
    const user = await w.user();
    const tried = `not-it-${crypto.randomUUID()}`;
    await w.expect('wrong password', auth.login, [401, 'invalid_credentials'], {
      body: { email: user.email, password: tried },
    });
    const failed = await eventOf(w, user, 'login_failed');
    expect(failed.details).toEqual({ reason: 'wrong_password' });
    // Nowhere in the table, in any column.
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM security_events e WHERE e::text LIKE '%' || $1 || '%'`,
        [tried],
      );
      expect(rows[0]!.n).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('logout, ending one session, ending them all', async () => {
    const user = await w.user();
    const other = await w.login(user);
    await w.expect('log out', auth.logout, 'success', { as: { cookie: other.cookie } });
    await w.login(user);
    const [thirdSession] = (
      (await w.expect('sessions', sessions.list, 'success', { as: user })).json() as {
        id: string;
        current: boolean;
      }[]
    ).filter((s) => !s.current);
    await w.expect('revoke one', sessions.revoke, 'success', {
      as: user,
      params: { id: thirdSession!.id },
    });
    expect((await eventOf(w, user, 'session_revoked')).details).toEqual({
      sessionId: thirdSession!.id,
    });
    expect((await eventOf(w, user, 'logout')).details.sessionId).toEqual(expect.any(String));
    await w.expect('log out everywhere', auth.logoutAll, 'success', { as: user });
    const after = await w.login(user);
    expect(types(await eventsOf(w, after)).slice(0, 2)).toEqual([
      'login_succeeded',
      'sessions_revoked',
    ]);
  });

  it('a replayed refresh token: recorded, the session ended, the owner told once', async () => {
    const user = await w.user();
    const { refreshToken } = await w.nativeLogin(user);
    await w.expect('refresh', auth.refresh, 'success', { body: { refreshToken }, origin: null });
    await w.expect('replay', auth.refresh, [401, 'refresh_reused'], {
      body: { refreshToken },
      origin: null,
    });
    await eventOf(w, user, 'refresh_token_reused');
    await expectOneNotice(w, user.email, 'A session was ended to protect your account');
  });

  it('password changed, set, and reset', async () => {
    const user = await w.user();
    await w.expect('change password', auth.changePassword, 'success', {
      as: user,
      body: { currentPassword: user.password, newPassword: 'a brand new passphrase' },
    });
    await eventOf(w, user, 'password_changed');
    await expectOneNotice(w, user.email, 'Your password was changed');

    const passwordless = await passwordlessUser(w);
    await w.expect('set a first password', password.set, 'success', {
      as: passwordless,
      body: { password: 'a first passphrase' },
    });
    expect((await eventOf(w, passwordless, 'password_changed')).details).toEqual({ first: true });
    await expectOneNotice(w, passwordless.email, 'Your password was changed');

    await w.expect('reset request', auth.requestPasswordReset, 'success', {
      body: { email: user.email },
    });
    const token = await w.mailedToken(user.email, /Reset/);
    await w.expect('reset', auth.resetPassword, 'success', {
      body: { token, password: 'yet another passphrase' },
    });
    const after = await w.login({ email: user.email, password: 'yet another passphrase' });
    await eventOf(w, after, 'password_reset');
    await expectOneNotice(w, user.email, 'Your password was reset');
  });

  it('TOTP on, a sign-in through it, TOTP off', async () => {
    const user = await w.mfaUser();
    expect((await eventOf(w, user, 'mfa_enabled')).details).toEqual({ method: 'totp' });
    await expectOneNotice(w, user.email, 'Two-factor authentication is on');

    const reply = await w.expect('verify-mfa', auth.verifyMfa, 'success', {
      body: { mfaToken: await w.mfaChallenge(user), code: user.recoveryCodes[0]! },
    });
    const session = { accessToken: (reply.json() as { accessToken: string }).accessToken };
    expect((await eventsOf(w, session))[0]).toMatchObject({
      type: 'login_succeeded',
      details: { secondFactor: 'recovery_code' },
    });

    await w.expect('disable TOTP', mfa.disableTotp, 'success', {
      as: user,
      body: { password: user.password, code: totpCode(user.secret, 1) },
    });
    await eventOf(w, user, 'mfa_disabled');
    await expectOneNotice(w, user.email, 'Two-factor authentication is off');
  });

  it('an API key created and revoked', async () => {
    const user = await w.user();
    const key = await w.apiKey(user, ['read', 'write']);
    expect((await eventOf(w, user, 'api_key_created')).details).toEqual({
      apiKeyId: key.apiKey.id,
      name: 'key read+write',
      prefix: key.apiKey.prefix,
      scopes: 'read, write',
    });
    const notice = await expectOneNotice(w, user.email, 'A new API key was created');
    expect(notice.text).toContain('“key read+write” (read, write)');
    expect(notice.text).not.toContain(key.secret);

    await w.expect('revoke the key', apiKeys.revoke, 'success', {
      as: user,
      params: { id: key.apiKey.id },
    });
    expect((await eventOf(w, user, 'api_key_revoked')).details).toEqual({
      apiKeyId: key.apiKey.id,
    });
  });

  it('a passkey added, signed in with, and removed', async () => {
    const user = await passkeyUser(w);
    expect((await eventOf(w, user, 'passkey_added')).details).toEqual({
      passkeyId: user.passkey.id,
      name: 'Test key',
    });
    await expectOneNotice(w, user.email, 'A passkey was added to your account');

    const signedIn = await passkeySignIn(w, user);
    expect((await eventsOf(w, signedIn))[0]?.type).toBe('passkey_sign_in');

    const second = await addPasskey(w, user, undefined, 'Spare key');
    await w.expect('remove a passkey', passkeys.remove, 'success', {
      as: user,
      params: { id: second.id },
    });
    expect((await eventOf(w, user, 'passkey_removed')).details).toEqual({
      passkeyId: second.id,
      name: 'Spare key',
    });
    await expectOneNotice(w, user.email, 'A passkey was removed from your account');
  });

  it('an email-code sign-in', async () => {
    const user = await w.user();
    const code = await requestCode(w, user.email);
    const reply = await w.expect('verify the code', emailCode.verify, 'success', {
      body: { email: user.email, code },
    });
    const session = { accessToken: (reply.json() as { accessToken: string }).accessToken };
    expect((await eventsOf(w, session))[0]?.type).toBe('email_code_sign_in');
  });

  it('a provider sign-in, a provider linked and unlinked', async () => {
    const fromGitHub = await gitHubAccount(w);
    expect((await eventsOf(w, fromGitHub))[0]).toMatchObject({
      type: 'provider_sign_in',
      details: { provider: 'github' },
    });

    const user = await w.user();
    const linked = await linkGitHub(w, user);
    expect((await eventOf(w, user, 'provider_linked')).details).toEqual({
      provider: 'github',
      providerName: 'GitHub',
    });
    const notice = await expectOneNotice(w, user.email, 'An account was linked for sign-in');
    expect(notice.text).toContain('Your GitHub account can now sign into this account.');

    await w.expect('unlink', oauth.unlink, 'success', { as: user, params: { id: linked.id } });
    await eventOf(w, user, 'provider_unlinked');
    await expectOneNotice(w, user.email, 'A linked account was removed');
  });
});
