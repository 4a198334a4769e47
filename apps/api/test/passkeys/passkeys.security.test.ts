import { contract, type PasskeyAuthenticationResponse } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS, sql } from '../support/auth-extras.js';
import {
  addPasskey,
  mfaBody,
  mfaOptions,
  passkeyMfaUser,
  passkeyUser,
  registrationOptions,
  signInBody,
  signInOptions,
} from '../support/passkey-world.js';
import { SoftwareAuthenticator } from '../support/software-authenticator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';

const { passkeys } = contract;
const REJECTED = [400, 'passkey_rejected'] as const;

/** The same response with one field of its `response` replaced. */
const withResponse = (
  r: PasskeyAuthenticationResponse,
  change: Partial<PasskeyAuthenticationResponse['response']>,
): PasskeyAuthenticationResponse => ({ ...r, response: { ...r.response, ...change } });

describe('passkeys refuse what an attacker can send', () => {
  let t: TestApp;
  /** A second API process on the same database: a replica. */
  let replica: TestApp;
  let w: World;
  let onReplica: World;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
    replica = await startTestApp({ env: NO_RATE_LIMITS, databaseUrl: t.databaseUrl });
    w = new World(t);
    onReplica = new World(replica);
  });
  afterAll(async () => {
    await replica.close();
    await t.close();
  });

  const counterOf = async (id: string) =>
    (await sql<{ counter: string }>(t, 'SELECT counter FROM passkeys WHERE id = $1', [id]))[0]!
      .counter;

  it('accepts an answer once: replayed, on this replica or another, it is refused', async () => {
    const user = await passkeyUser(w);
    // Options from one replica, answered on the other: the challenge needs no shared memory.
    const body = { response: user.authenticator.assert(await signInOptions(onReplica)) };
    await w.expect('sign in', passkeys.signIn, 'success', { body });
    await w.expect('replayed here', passkeys.signIn, REJECTED, { body });
    await onReplica.expect('replayed on the replica', passkeys.signIn, REJECTED, { body });
  });

  it('refuses a fresh signature over a challenge already answered', async () => {
    const user = await passkeyUser(w);
    const options = await signInOptions(w);
    await w.expect('sign in', passkeys.signIn, 'success', {
      body: { response: user.authenticator.assert(options) },
    });
    const again = await w.expect('same challenge, new counter', passkeys.signIn, REJECTED, {
      body: { response: user.authenticator.assert(options) },
    });
    expect(again.text).toMatch(/already used/);
  });

  it('refuses the same registration answer twice', async () => {
    const user = await w.user();
    const response = new SoftwareAuthenticator().register(await registrationOptions(w, user));
    await w.expect('add', passkeys.add, 'success', { as: user, body: { response } });
    await w.expect('add again', passkeys.add, REJECTED, { as: user, body: { response } });
  });

  it('binds a challenge to its ceremony and its user', async () => {
    const user = await passkeyMfaUser(w);
    const other = await w.user();
    // A registration challenge of one user, answered by another.
    const stolen = new SoftwareAuthenticator().register(await registrationOptions(w, user));
    await w.expect('registration for another user', passkeys.add, REJECTED, {
      as: other,
      body: { response: stolen },
    });
    // An MFA challenge answered at the passwordless sign-in, and the other way round.
    const mfaToken = await w.mfaChallenge(user);
    await w.expect('MFA challenge at sign-in', passkeys.signIn, REJECTED, {
      body: { response: user.authenticator.assert(await mfaOptions(w, mfaToken)) },
    });
    await w.expect('sign-in challenge at MFA', passkeys.mfaVerify, REJECTED, {
      body: { mfaToken, response: user.authenticator.assert(await signInOptions(w)) },
    });
    // A made-up challenge.
    await w.expect('made-up challenge', passkeys.signIn, REJECTED, {
      body: await signInBody(w, user, { challenge: Buffer.alloc(38, 7).toString('base64url') }),
    });
  });

  it('refuses a ceremony on another origin, and changes nothing', async () => {
    const user = await passkeyUser(w);
    const before = await counterOf(user.passkey.id);
    for (const origin of [
      'https://evil.example',
      'http://localhost:3001',
      'http://127.0.0.1:3000',
    ]) {
      const reply = await w.expect(`origin ${origin}`, passkeys.signIn, REJECTED, {
        body: await signInBody(w, user, { origin }),
      });
      expect(reply.text).toMatch(/origin/i);
    }
    expect(await counterOf(user.passkey.id)).toBe(before);
    const other = await w.user();
    const response = new SoftwareAuthenticator().register(await registrationOptions(w, other), {
      origin: 'https://evil.example',
    });
    await w.expect('registration on another origin', passkeys.add, REJECTED, {
      as: other,
      body: { response },
    });
  });

  it('refuses an authenticator that signed for another RP ID', async () => {
    const user = await passkeyUser(w);
    await w.expect('sign in for evil.example', passkeys.signIn, REJECTED, {
      body: await signInBody(w, user, { rpId: 'evil.example' }),
    });
    const other = await w.user();
    const response = new SoftwareAuthenticator().register(await registrationOptions(w, other), {
      rpId: 'evil.example',
    });
    await w.expect('register for evil.example', passkeys.add, REJECTED, {
      as: other,
      body: { response },
    });
    expect(await sql(t, 'SELECT 1 FROM passkeys WHERE user_id = $1', [other.id])).toEqual([]);
  });

  it('refuses another user’s passkey at the MFA step', async () => {
    const victim = await passkeyMfaUser(w);
    const attacker = await passkeyMfaUser(w);
    const mfaToken = await w.mfaChallenge(victim);
    const options = await mfaOptions(w, mfaToken);
    const response = attacker.authenticator.assert(options, {
      credential: attacker.authenticator.credentials[0]!,
    });
    await w.expect('attacker’s passkey', passkeys.mfaVerify, REJECTED, {
      body: { mfaToken, response },
    });
    // With the victim's credential id on it, the attacker's signature does not verify either.
    await w.expect('attacker’s signature, victim’s id', passkeys.mfaVerify, REJECTED, {
      body: {
        mfaToken,
        response: {
          ...response,
          id: options.allowCredentials![0]!.id,
          rawId: options.allowCredentials![0]!.id,
        },
      },
    });
  });

  it('refuses a counter that does not move forward', async () => {
    const user = await passkeyUser(w);
    await w.expect('sign in (1)', passkeys.signIn, 'success', { body: await signInBody(w, user) });
    await w.expect('sign in (2)', passkeys.signIn, 'success', { body: await signInBody(w, user) });
    expect(await counterOf(user.passkey.id)).toBe('2');
    const back = await w.expect('counter back to 1', passkeys.signIn, REJECTED, {
      body: await signInBody(w, user, { counter: 1 }),
    });
    expect(back.text).toMatch(/counter/i);
    await w.expect('counter stays at 2', passkeys.signIn, REJECTED, {
      body: await signInBody(w, user, { counter: 2 }),
    });
    expect(await counterOf(user.passkey.id)).toBe('2');
    await w.expect('counter 3', passkeys.signIn, 'success', {
      body: await signInBody(w, user, { counter: 3 }),
    });
  });

  it('accepts an authenticator that keeps no counter (always 0)', async () => {
    const user = await passkeyUser(w);
    for (const n of [1, 2]) {
      await w.expect(`sign in ${n} with counter 0`, passkeys.signIn, 'success', {
        body: await signInBody(w, user, { counter: 0 }),
      });
    }
    expect(await counterOf(user.passkey.id)).toBe('0');
  });

  it('refuses a tampered signature, authenticator data or client data', async () => {
    const user = await passkeyUser(w);
    const { response } = await signInBody(w, user);
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64url');
      bytes[bytes.length - 1]! ^= 0x01;
      return bytes.toString('base64url');
    };
    for (const [what, changed] of [
      ['signature', withResponse(response, { signature: flip(response.response.signature) })],
      [
        'authenticator data',
        withResponse(response, { authenticatorData: flip(response.response.authenticatorData) }),
      ],
      [
        'client data',
        withResponse(response, {
          clientDataJSON: Buffer.from(
            Buffer.from(response.response.clientDataJSON, 'base64url')
              .toString()
              .replace('"crossOrigin":false', '"crossOrigin":false '),
          ).toString('base64url'),
        }),
      ],
    ] as const) {
      await w.expect(`tampered ${what}`, passkeys.signIn, REJECTED, {
        body: { response: changed },
      });
    }
    // The untouched answer still works: the refusals did not use its challenge up.
    await w.expect('the real answer', passkeys.signIn, 'success', { body: { response } });
  });

  it('refuses a deleted passkey, at sign-in and at the MFA step', async () => {
    const user = await passkeyMfaUser(w);
    const signIn = await signInBody(w, user);
    const mfa = await mfaBody(w, user);
    await w.expect('delete', passkeys.remove, 'success', {
      as: user,
      params: { id: user.passkey.id },
    });
    const reply = await w.expect('sign in with it', passkeys.signIn, REJECTED, { body: signIn });
    expect(reply.text).toMatch(/not registered/);
    await w.expect('MFA with it', passkeys.mfaVerify, REJECTED, { body: mfa });
    await w.expect('MFA options without passkeys', passkeys.mfaOptions, REJECTED, {
      body: { mfaToken: mfa.mfaToken },
    });
  });

  it('requires user verification to sign in alone, presence for the second step', async () => {
    const user = await passkeyMfaUser(w);
    await w.expect('sign in without UV', passkeys.signIn, REJECTED, {
      body: await signInBody(w, user, { userVerified: false }),
    });
    await w.expect('MFA with presence only', passkeys.mfaVerify, 'success', {
      body: await mfaBody(w, user, { userVerified: false }),
    });
    const other = await w.user();
    const unverified = new SoftwareAuthenticator().register(await registrationOptions(w, other), {
      userVerified: false,
    });
    await w.expect('register without UV', passkeys.add, REJECTED, {
      as: other,
      body: { response: unverified },
    });
  });

  it('refuses a user handle that is not the passkey owner’s', async () => {
    const user = await passkeyUser(w);
    const other = await passkeyUser(w);
    const { response } = await signInBody(w, user);
    await w.expect('another user handle', passkeys.signIn, REJECTED, {
      body: {
        response: withResponse(response, {
          userHandle: other.authenticator.credentials[0]!.userHandle,
        }),
      },
    });
  });

  it('keeps a passkey to its owner: others cannot rename or delete it', async () => {
    const owner = await passkeyUser(w);
    const other = await w.user();
    await addPasskey(w, other);
    await w.expect('rename', passkeys.rename, [404, 'not_found'], {
      as: other,
      params: { id: owner.passkey.id },
      body: { name: 'mine' },
    });
    await w.expect('delete', passkeys.remove, [404, 'not_found'], {
      as: other,
      params: { id: owner.passkey.id },
    });
    const listed = await w.expect('owner list', passkeys.list, 'success', { as: owner });
    expect(listed.json()).toEqual([owner.passkey]);
  });
});
