import { contract, type Passkey } from '@repo/contracts';
import { expect } from 'vitest';
import {
  mfaBody,
  mfaOptions,
  passkeyMfaUser,
  passkeyUser,
  registrationOptions,
  signInBody,
  signInOptions,
} from '../../test/support/passkey-world.js';
import { SoftwareAuthenticator } from '../../test/support/software-authenticator.js';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';

const passkeys = contract.passkeys;
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

export const scenarios = defineScenarios(passkeys, {
  registrationOptions: [
    succeeds('passkey registration options', async (w) => ({ as: await w.user() })),
    refused('passkey registration options without a token', [401, 'unauthorized'], () => ({})),
  ],
  add: [
    succeeds(
      'add a passkey',
      async (w) => {
        const user = await w.user();
        const response = new SoftwareAuthenticator().register(await registrationOptions(w, user));
        return { as: user, body: { name: 'Laptop', response } };
      },
      async (w, reply, request) => {
        const listed = await w.expect('list after add', passkeys.list, 'success', {
          as: request.as,
        });
        expect(listed.json()).toEqual([reply.json()]);
      },
    ),
    refused('add a passkey made on another origin', [400, 'passkey_rejected'], async (w) => {
      const user = await w.user();
      const response = new SoftwareAuthenticator().register(await registrationOptions(w, user), {
        origin: 'https://evil.example',
      });
      return { as: user, body: { response } };
    }),
    refused('add a passkey, name too long', [400, 'validation_failed'], async (w) => {
      const user = await w.user();
      const response = new SoftwareAuthenticator().register(await registrationOptions(w, user));
      return { as: user, body: { name: 'n'.repeat(65), response } };
    }),
    refused('add a passkey without a token', [401, 'unauthorized'], () => ({ body: {} })),
  ],
  list: [
    succeeds('list passkeys', async (w) => ({ as: await passkeyUser(w) })),
    refused('list passkeys without a token', [401, 'unauthorized'], () => ({})),
  ],
  rename: [
    succeeds(
      'rename a passkey',
      async (w) => {
        const user = await passkeyUser(w);
        return { as: user, params: { id: user.passkey.id }, body: { name: 'Phone' } };
      },
      (_w, reply) => {
        expect((reply.json() as Passkey).name).toBe('Phone');
        return Promise.resolve();
      },
    ),
    refused('rename another user’s passkey', [404, 'not_found'], async (w) => {
      const owner = await passkeyUser(w);
      return { as: await w.user(), params: { id: owner.passkey.id }, body: { name: 'Mine now' } };
    }),
    refused('rename a passkey to nothing', [400, 'validation_failed'], async (w) => {
      const user = await passkeyUser(w);
      return { as: user, params: { id: user.passkey.id }, body: { name: '   ' } };
    }),
  ],
  remove: [
    succeeds(
      'delete a passkey',
      async (w) => {
        const user = await passkeyUser(w);
        return { as: user, params: { id: user.passkey.id }, context: { user } };
      },
      async (w, _reply, request) => {
        const listed = await w.expect('list after delete', passkeys.list, 'success', {
          as: request.as,
        });
        expect(listed.json()).toEqual([]);
      },
    ),
    refused('delete an unknown passkey', [404, 'not_found'], async (w) => ({
      as: await w.user(),
      params: { id: NO_SUCH_ID },
    })),
    refused('delete a passkey without a token', [401, 'unauthorized'], () => ({
      params: { id: NO_SUCH_ID },
    })),
  ],
  signInOptions: [succeeds('passkey sign-in options', () => ({}))],
  signIn: [
    succeeds(
      'sign in with a passkey',
      async (w) => ({ body: await signInBody(w, await passkeyUser(w)) }),
      async (w, _reply, request) => {
        await w.expect(
          'the same answer again',
          passkeys.signIn,
          [400, 'passkey_rejected'],
          request,
        );
      },
    ),
    refused('sign in with a tampered signature', [400, 'passkey_rejected'], async (w) => {
      const { response } = await signInBody(w, await passkeyUser(w));
      const signature = Buffer.from(response.response.signature, 'base64url');
      signature[signature.length - 1]! ^= 0x01;
      return {
        body: {
          response: {
            ...response,
            response: { ...response.response, signature: signature.toString('base64url') },
          },
        },
      };
    }),
    refused('sign in with a passkey never added', [400, 'passkey_rejected'], async (w) => {
      const stranger = new SoftwareAuthenticator();
      stranger.register(await registrationOptions(w, await w.user())); // made, never sent back
      return { body: { response: stranger.assert(await signInOptions(w)) } };
    }),
    refused('sign in, not a credential', [400, 'validation_failed'], () => ({
      body: { response: { id: 'x' } },
    })),
  ],
  mfaOptions: [
    succeeds('passkey MFA options', async (w) => ({
      body: { mfaToken: await w.mfaChallenge(await passkeyMfaUser(w)) },
    })),
    refused('passkey MFA options, not a challenge', [401, 'token_invalid'], () => ({
      body: { mfaToken: 'not-a-valid-mfa-challenge-token' },
    })),
    refused(
      'passkey MFA options for a user without a passkey',
      [400, 'passkey_rejected'],
      async (w) => ({
        body: { mfaToken: await w.mfaChallenge(await w.mfaUser()) },
      }),
    ),
  ],
  mfaVerify: [
    succeeds('MFA with a passkey', async (w) => ({
      body: await mfaBody(w, await passkeyMfaUser(w)),
    })),
    refused('MFA with another user’s passkey', [400, 'passkey_rejected'], async (w) => {
      const victim = await passkeyMfaUser(w);
      const attacker = await passkeyMfaUser(w);
      const mfaToken = await w.mfaChallenge(victim);
      const options = await mfaOptions(w, mfaToken);
      // The attacker answers the victim's challenge with their own passkey.
      return {
        body: {
          mfaToken,
          response: attacker.authenticator.assert(options, {
            credential: attacker.authenticator.credentials[0]!,
          }),
        },
      };
    }),
    refused('MFA with a passkey, not a challenge', [401, 'token_invalid'], async (w) => {
      const user = await passkeyMfaUser(w);
      const { response } = await mfaBody(w, user);
      return { body: { mfaToken: 'not-a-valid-mfa-challenge-token', response } };
    }),
  ],
});
