import {
  authTokensSchema,
  contract,
  mfaChallengeSchema,
  type Passkey,
  passkeyListSchema,
  passkeySchema,
} from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCookie } from '../support/auth-client.js';
import { NO_RATE_LIMITS, sql } from '../support/auth-extras.js';
import {
  addPasskey,
  mfaBody,
  passkeyMfaUser,
  passkeySignIn,
  passkeyUser,
  registrationOptions,
  signInBody,
} from '../support/passkey-world.js';
import { SoftwareAuthenticator } from '../support/software-authenticator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';

const { passkeys, auth, users } = contract;

describe('passkeys: add, list, rename, delete; sign in; the second step', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
    w = new World(t);
  });
  afterAll(() => t.close());

  it('adds passkeys, lists, renames and deletes them', async () => {
    const user = await w.user();
    const options = await registrationOptions(w, user);
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'Full-stack starter' },
      user: { name: user.email },
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      attestation: 'none',
      excludeCredentials: [],
    });
    const laptop = new SoftwareAuthenticator();
    const first = await addPasskey(w, user, laptop, 'Laptop');
    expect(passkeySchema.parse(first)).toMatchObject({
      name: 'Laptop',
      deviceType: 'singleDevice',
      backedUp: false,
      transports: ['internal'],
      lastUsedAt: null,
    });

    // Unnamed: named after the browser it was made in.
    const phone = new SoftwareAuthenticator();
    const response = phone.register(await registrationOptions(w, user));
    const unnamed = await w.expect('add unnamed', passkeys.add, 'success', {
      as: user,
      body: { response },
    });
    expect((unnamed.json() as Passkey).name).toBe('Passkey');

    // The options now exclude both, so an authenticator is not enrolled twice.
    expect((await registrationOptions(w, user)).excludeCredentials?.map((c) => c.id)).toEqual([
      laptop.credentials[0]!.id,
      phone.credentials[0]!.id,
    ]);

    const listed = await w.expect('list', passkeys.list, 'success', { as: user });
    expect(passkeyListSchema.parse(listed.json()).map((p) => p.name)).toEqual([
      'Laptop',
      'Passkey',
    ]);

    const renamed = await w.expect('rename', passkeys.rename, 'success', {
      as: user,
      params: { id: first.id },
      body: { name: '  Work laptop ' },
    });
    expect((renamed.json() as Passkey).name).toBe('Work laptop');

    await w.expect('delete', passkeys.remove, 'success', { as: user, params: { id: first.id } });
    await w.expect('delete again', passkeys.remove, [404, 'not_found'], {
      as: user,
      params: { id: first.id },
    });
    const after = await w.expect('list after delete', passkeys.list, 'success', { as: user });
    expect((after.json() as Passkey[]).map((p) => p.name)).toEqual(['Passkey']);
  });

  it('names a passkey after the browser that made it when it gets no name', async () => {
    const user = await w.user();
    const response = new SoftwareAuthenticator().register(await registrationOptions(w, user));
    const res = await fetch(`${t.api}/passkeys`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: 'http://localhost:3000',
        authorization: `Bearer ${user.accessToken}`,
        'user-agent':
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
      },
      body: JSON.stringify({ response }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as Passkey).name).toBe('Chrome on Linux');
  });

  it('refuses a credential that is already registered (409), for this user or another', async () => {
    const user = await passkeyUser(w);
    const credential = user.authenticator.credentials[0]!;
    for (const who of [user, await w.user()]) {
      const again = user.authenticator.register(await registrationOptions(w, who), { credential });
      await w.expect('add it again', passkeys.add, [409, 'conflict'], {
        as: who,
        body: { response: again },
      });
    }
    expect(
      await sql(t, 'SELECT 1 FROM passkeys WHERE credential_id = $1', [credential.id]),
    ).toHaveLength(1);
  });

  it('signs in with a discoverable passkey: a browser gets the refresh cookie, a native client the token', async () => {
    const user = await passkeyUser(w);
    const options = await w.expect('options', passkeys.signInOptions, 'success');
    expect(options.json()).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
    expect(options.json()).not.toHaveProperty('allowCredentials');

    const reply = await w.expect('sign in', passkeys.signIn, 'success', {
      body: await signInBody(w, user),
    });
    const tokens = authTokensSchema.parse(reply.json());
    expect(tokens.user.id).toBe(user.id);
    expect(tokens.refreshToken).toBeUndefined();
    expect(refreshCookie(new Response(null, { headers: reply.headers }))).toBeDefined();
    await w.expect('me', users.me, 'success', { as: { accessToken: tokens.accessToken } });

    const native = await w.expect('sign in (native)', passkeys.signIn, 'success', {
      body: await signInBody(w, user),
      origin: null,
    });
    expect(authTokensSchema.parse(native.json()).refreshToken).toEqual(expect.any(String));

    const [row] = await sql<{ counter: string; last_used_at: Date | null }>(
      t,
      'SELECT counter, last_used_at FROM passkeys WHERE id = $1',
      [user.passkey.id],
    );
    expect(row?.counter).toBe('2');
    expect(row?.last_used_at).toBeInstanceOf(Date);
    const listed = await w.expect('list', passkeys.list, 'success', { as: user });
    expect((listed.json() as Passkey[])[0]!.lastUsedAt).not.toBeNull();
  });

  it('signs a TOTP user in with a passkey alone: no second step', async () => {
    const user = await passkeyMfaUser(w);
    const tokens = await passkeySignIn(w, user);
    expect(tokens.user).toMatchObject({ id: user.id, mfaEnabled: true });
  });

  it('answers a password login’s MFA challenge with a passkey, and says when it can', async () => {
    const plain = await w.mfaUser();
    const login = await w.expect('login', auth.login, 'success', {
      body: { email: plain.email, password: plain.password },
    });
    expect(mfaChallengeSchema.parse(login.json()).methods).toEqual(['totp']);

    const user = await passkeyMfaUser(w);
    const withPasskey = await w.expect('login', auth.login, 'success', {
      body: { email: user.email, password: user.password },
    });
    expect(mfaChallengeSchema.parse(withPasskey.json()).methods).toEqual(['totp', 'passkey']);

    const body = await mfaBody(w, user);
    const reply = await w.expect('mfa verify', passkeys.mfaVerify, 'success', { body });
    expect(authTokensSchema.parse(reply.json()).user.id).toBe(user.id);
    expect(refreshCookie(new Response(null, { headers: reply.headers }))).toBeDefined();
  });

  it('offers only the user’s passkeys at the MFA step, with presence enough', async () => {
    const user = await passkeyMfaUser(w);
    const second = await addPasskey(w, user, user.authenticator, 'Second');
    const mfaToken = await w.mfaChallenge(user);
    const reply = await w.expect('options', passkeys.mfaOptions, 'success', { body: { mfaToken } });
    const options = reply.json() as {
      allowCredentials: { id: string }[];
      userVerification: string;
    };
    expect(options.userVerification).toBe('preferred');
    expect(options.allowCredentials.map((c) => c.id).sort()).toEqual(
      user.authenticator.credentials.map((c) => c.id).sort(),
    );
    expect(second.id).toBeDefined();
  });

  it('voids the passkey MFA step of a challenge started before a password change', async () => {
    const user = await passkeyMfaUser(w);
    const body = await mfaBody(w, user);
    await w.expect('change password', auth.changePassword, 'success', {
      as: user,
      body: { currentPassword: user.password, newPassword: 'a brand new password 1' },
    });
    await w.expect('mfa verify', passkeys.mfaVerify, [401, 'token_invalid'], { body });
    await w.expect('mfa options', passkeys.mfaOptions, [401, 'token_invalid'], {
      body: { mfaToken: body.mfaToken },
    });
  });

  it('removes the passkeys with their account', async () => {
    const user = await passkeyUser(w);
    await sql(t, 'DELETE FROM users WHERE id = $1', [user.id]);
    expect(await sql(t, 'SELECT 1 FROM passkeys WHERE id = $1', [user.passkey.id])).toEqual([]);
  });
});
