import { contract, type ReauthStatus } from '@repo/contracts';
import { expect } from 'vitest';
import { mailedCode, otherCode, passwordlessUser } from '../../test/email-code/mailed-code.js';
import { passkeyUser } from '../../test/support/passkey-world.js';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';
import { totpCode } from '../../test/support/world.js';

const { reauth } = contract;

export const scenarios = defineScenarios(
  reauth,
  {
    status: [
      succeeds(
        'reauth status after a sign-in',
        async (w) => ({ as: await w.user() }),
        (_w, reply) => {
          const status = reply.json() as ReauthStatus;
          expect(status.proofs).toEqual(['password']);
          expect(status.until, 'the sign-in is a proof').not.toBeNull();
          return Promise.resolve();
        },
      ),
      refused('reauth status without a token', [401, 'unauthorized'], () => ({})),
    ],
    reauthenticate: [
      succeeds('reauthenticate with the password', async (w) => {
        const user = await w.user();
        return { as: user, body: { proof: 'password', password: user.password } };
      }),
      succeeds('reauthenticate with an authenticator code', async (w) => {
        const user = await w.mfaUser();
        return { as: user, body: { proof: 'totp', code: totpCode(user.secret, 1) } };
      }),
      succeeds('reauthenticate with a passkey', async (w) => {
        const user = await passkeyUser(w);
        const options = await w.expect('reauth options', reauth.passkeyOptions, 'success', {
          as: user,
        });
        return {
          as: user,
          body: { proof: 'passkey', response: user.authenticator.assert(options.json() as never) },
        };
      }),
      succeeds('reauthenticate with an email code', async (w) => {
        const user = await passwordlessUser(w);
        await w.expect('mail a reauth code', reauth.emailCode, 'success', { as: user });
        // The sign-up code came first: the reauth code is the second mail.
        return {
          as: user,
          body: { proof: 'email_code', code: await mailedCode(w, user.email, 2) },
        };
      }),
      refused('reauthenticate with a wrong password', [400, 'wrong_password'], async (w) => ({
        as: await w.user(),
        body: { proof: 'password', password: 'not the password at all' },
      })),
      refused('reauthenticate with a wrong email code', [400, 'invalid_code'], async (w) => {
        const user = await passwordlessUser(w);
        await w.expect('mail a reauth code', reauth.emailCode, 'success', { as: user });
        const code = await mailedCode(w, user.email, 2);
        return { as: user, body: { proof: 'email_code', code: otherCode(code) } };
      }),
      refused('reauthenticate by a proof the account lacks', [400, 'bad_request'], async (w) => ({
        as: await w.user(),
        body: { proof: 'totp', code: '123456' },
      })),
      refused('reauthenticate, unknown proof', [400, 'validation_failed'], async (w) => ({
        as: await w.user(),
        body: { proof: 'fingerprint' },
      })),
      refused('reauthenticate without a token', [401, 'unauthorized'], () => ({
        body: { proof: 'password', password: 'whatever it is' },
      })),
    ],
    passkeyOptions: [
      succeeds('reauth passkey options', async (w) => ({ as: await passkeyUser(w) })),
      refused('reauth passkey options without a passkey', [400, 'passkey_rejected'], async (w) => ({
        as: await w.user(),
      })),
      refused('reauth passkey options without a token', [401, 'unauthorized'], () => ({})),
    ],
    emailCode: [
      succeeds('mail a reauth code', async (w) => ({ as: await passwordlessUser(w) })),
      refused(
        'mail a reauth code to an account with a password',
        [400, 'bad_request'],
        async (w) => ({
          as: await w.user(),
        }),
      ),
      refused('mail a reauth code without a token', [401, 'unauthorized'], () => ({})),
    ],
  },
  // A failed proof is recorded in the audit log; a wrong mailed code counts as a try.
  { refusalsRecordedIn: { reauthenticate: ['security_events', 'email_codes'] } },
);
