import { randomUUID } from 'node:crypto';
import {
  contract,
  endpointsOf,
  type ProblemDetails,
  REAUTH_WINDOW_MINUTES,
  type Reauthenticated,
  type ReauthStatus,
} from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordlessUser } from '../email-code/mailed-code.js';
import { refreshCookie } from '../support/auth-client.js';
import { NO_RATE_LIMITS, sql } from '../support/auth-extras.js';
import { passkeyMfaUser } from '../support/passkey-world.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { type TestUser, World } from '../support/world.js';

const { auth, reauth, apiKeys, securityEvents, users } = contract;
const SENSITIVE = endpointsOf(contract).filter((e) => e.reauth);
const REAUTH_REQUIRED = [403, 'reauth_required'] as const;

describe('re-authentication before sensitive changes', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
    w = new World(t);
  });
  afterAll(() => t?.close());

  /** Moves every proof of the user's sessions past the window, as the clock would. */
  const ageProofs = (user: { id: string }) =>
    sql(
      t,
      `UPDATE sessions SET authenticated_at = now() - make_interval(mins => $2 + 1) WHERE user_id = $1`,
      [user.id, REAUTH_WINDOW_MINUTES],
    );
  /** Any id but the organisation's: the user's own, so that the access guard lets it pass. */
  const paramsOf = (path: string, orgId: string) =>
    Object.fromEntries(
      [...path.matchAll(/:(\w+)/g)].map(([, name]) => [
        name!,
        name === 'provider' ? 'github' : name === 'orgId' ? orgId : randomUUID(),
      ]),
    );

  it('covers the email, the account, sessions, MFA, passkeys, providers, API keys and a first password', () => {
    expect(SENSITIVE.map((e) => e.id)).toEqual(
      expect.arrayContaining([
        'account.requestEmailChange',
        'account.delete',
        'auth.logoutAll',
        'sessions.revoke',
        'mfa.setupTotp',
        'mfa.enableTotp',
        'passkeys.registrationOptions',
        'passkeys.add',
        'passkeys.remove',
        'oauth.link',
        'oauth.unlink',
        'apiKeys.create',
        'password.set',
        'organisations.delete',
        'organisations.changeRole',
        'organisations.transfer',
      ]),
    );
  });

  it('refuses every sensitive endpoint once the last proof is over 10 minutes old, naming the proofs, and changes nothing', async () => {
    const user = await w.user();
    const { id: orgId } = await w.organisation(user);
    await ageProofs(user);
    for (const endpoint of SENSITIVE) {
      const reply = await w.expect(endpoint.id, endpoint, REAUTH_REQUIRED, {
        as: user,
        params: paramsOf(endpoint.path, orgId),
      });
      expect((reply.json() as ProblemDetails).proofs, endpoint.id).toEqual(['password']);
    }
    const [row] = await sql<{ keys: number; passkeys: number; totp: boolean }>(
      t,
      `SELECT (SELECT count(*)::int FROM api_keys WHERE user_id = $1) AS keys,
              (SELECT count(*)::int FROM passkeys WHERE user_id = $1) AS passkeys,
              (SELECT totp_secret IS NOT NULL FROM users WHERE id = $1) AS totp`,
      [user.id],
    );
    expect(row).toEqual({ keys: 0, passkeys: 0, totp: false });
  });

  it('lets the refused change through once the session proves itself again', async () => {
    const user = await w.user();
    await ageProofs(user);
    const body = { name: 'deploy', scopes: ['read'] };
    await w.expect('create a key', apiKeys.create, REAUTH_REQUIRED, { as: user, body });
    const proved = await w.expect('reauthenticate', reauth.reauthenticate, 'success', {
      as: user,
      body: { proof: 'password', password: user.password },
    });
    const until = new Date((proved.json() as Reauthenticated).until).getTime();
    expect(until).toBeGreaterThan(Date.now() + (REAUTH_WINDOW_MINUTES - 1) * 60_000);
    await w.expect('create a key, again', apiKeys.create, 'success', { as: user, body });
  });

  it('renews the session’s tokens on a proof (ASVS 7.2.4): the previous refresh token is used up', async () => {
    const user = await w.user();
    const proved = await w.expect('reauthenticate', reauth.reauthenticate, 'success', {
      as: user,
      body: { proof: 'password', password: user.password },
    });
    const renewed = proved.json() as Reauthenticated;
    const cookie = refreshCookie(new Response(null, { headers: proved.headers }));
    expect(cookie, 'a new refresh cookie').toBeDefined();
    expect(cookie).not.toBe(user.cookie);
    expect(renewed.refreshToken, 'browsers get the cookie only').toBeUndefined();
    await w.expect('the new access token', users.me, 'success', {
      as: { accessToken: renewed.accessToken },
    });
    await w.expect('the new refresh cookie', auth.refresh, 'success', { as: { ...user, cookie } });
    // Past the grace window (as the clock would move it), the previous token is a copied one.
    await sql(t, `UPDATE sessions SET rotated_at = now() - interval '1 hour' WHERE user_id = $1`, [
      user.id,
    ]);
    await w.expect('the previous refresh cookie', auth.refresh, [401, 'refresh_reused'], {
      as: user,
    });
  });

  it('renews a native client’s refresh token in the body', async () => {
    const user = await w.user();
    const native = await w.nativeLogin(user);
    const proved = await w.expect('reauthenticate', reauth.reauthenticate, 'success', {
      as: native,
      body: { proof: 'password', password: user.password },
      origin: null,
    });
    const renewed = proved.json() as Reauthenticated;
    expect(renewed.refreshToken).toBeDefined();
    expect(renewed.refreshToken).not.toBe(native.refreshToken);
  });

  it('opens the window of the session that proved itself only, not of the user’s other sessions', async () => {
    const user = await w.user();
    const other: TestUser = { ...user, ...(await w.login(user)) };
    await ageProofs(user);
    await w.expect('reauthenticate here', reauth.reauthenticate, 'success', {
      as: user,
      body: { proof: 'password', password: user.password },
    });
    const body = { name: 'ci', scopes: ['read'] };
    await w.expect('the other session', apiKeys.create, REAUTH_REQUIRED, { as: other, body });
    await w.expect('this session', apiKeys.create, 'success', { as: user, body });
  });

  it('keeps the window closed after a wrong password, and records the failure in the audit log', async () => {
    const user = await w.user();
    await ageProofs(user);
    await w.expect('wrong password', reauth.reauthenticate, [400, 'wrong_password'], {
      as: user,
      body: { proof: 'password', password: 'certainly not mine' },
    });
    const status = await w.expect('status', reauth.status, 'success', { as: user });
    expect((status.json() as ReauthStatus).until).toBeNull();
    const events = await w.expect('events', securityEvents.list, 'success', { as: user });
    expect((events.json() as { type: string }[]).map((e) => e.type)).toContain('reauth_failed');
  });

  it('names each proof the account can give: its factors, and a mailed code only without a password', async () => {
    const strong = await passkeyMfaUser(w);
    const proofsOf = async (user: { accessToken: string }) =>
      ((await w.expect('status', reauth.status, 'success', { as: user })).json() as ReauthStatus)
        .proofs;
    expect(await proofsOf(strong)).toEqual(['password', 'totp', 'passkey']);
    expect(await proofsOf(await passwordlessUser(w))).toEqual(['email_code']);
  });

  it('does not take an API key for a session', async () => {
    const user = await w.user();
    const key = await w.apiKey(user, ['read', 'write']);
    await w.expect('status with a key', reauth.status, [401, 'api_key_invalid'], {
      as: { apiKey: key.secret },
    });
  });
});
