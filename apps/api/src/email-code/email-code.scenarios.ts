import { type AuthTokens, contract } from '@repo/contracts';
import { newCredentials } from '@repo/test-support';
import { expect } from 'vitest';
import { otherCode, passwordlessUser, requestCode } from '../../test/email-code/mailed-code.js';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';

const { emailCode, password, users } = contract;
const NEW_PASSWORD = 'a first passphrase of mine';
const nobody = () => `nobody-${newCredentials().email}`;

export const emailCodeScenarios = defineScenarios(
  emailCode,
  {
    request: [
      succeeds('email code for an account', async (w) => ({
        body: { email: (await w.user()).email },
      })),
      succeeds('email code for nobody', () => ({ body: { email: nobody() } })),
      succeeds('email code to sign up', () => {
        const { email, name } = newCredentials();
        return { body: { email, name } };
      }),
      refused('email code, invalid email', [400, 'validation_failed'], () => ({
        body: { email: 'not an email' },
      })),
      refused('email code, empty name', [400, 'validation_failed'], () => ({
        body: { email: newCredentials().email, name: ' ' },
      })),
    ],
    verify: [
      succeeds(
        'sign in with an email code (browser)',
        async (w) => {
          const { email } = await w.user();
          return { body: { email, code: await requestCode(w, email) } };
        },
        async (w, reply, request) => {
          const tokens = reply.json() as AuthTokens;
          expect(tokens.refreshToken, 'a browser gets the cookie, not the token').toBeUndefined();
          await w.expect('me with its token', users.me, 'success', { as: tokens });
          await w.expect('the code again', emailCode.verify, [400, 'invalid_code'], request);
        },
      ),
      succeeds(
        'sign in with an email code (native)',
        async (w) => {
          const { email } = await w.user();
          return { body: { email, code: await requestCode(w, email) }, origin: null };
        },
        (_w, reply) => {
          expect((reply.json() as AuthTokens).refreshToken, 'in the body').toBeDefined();
          return Promise.resolve();
        },
      ),
      succeeds('sign up with an email code', async (w) => {
        const { email, name } = newCredentials();
        return { body: { email, code: await requestCode(w, email, name) } };
      }),
      refused('email code, wrong code', [400, 'invalid_code'], async (w) => {
        const { email } = await w.user();
        return { body: { email, code: otherCode(await requestCode(w, email)) } };
      }),
      refused('email code, nobody', [400, 'invalid_code'], () => ({
        body: { email: nobody(), code: '123456' },
      })),
      refused('email code, bad format', [400, 'validation_failed'], () => ({
        body: { email: nobody(), code: '12345a' },
      })),
    ],
  },
  // A wrong code counts as a try: five of them void the code.
  { refusalsRecordedIn: { verify: ['email_codes'] } },
);

export const passwordScenarios = defineScenarios(password, {
  set: [
    succeeds(
      'set a first password',
      async (w) => {
        const user = await passwordlessUser(w);
        return { as: user, body: { password: NEW_PASSWORD }, context: { email: user.email } };
      },
      async (w, _reply, request) => {
        await w.login({ email: request.context!.email as string, password: NEW_PASSWORD });
        await w.expect('set it again', password.set, [409, 'conflict'], request);
      },
    ),
    refused('set a password over one', [409, 'conflict'], async (w) => ({
      as: await w.user(),
      body: { password: NEW_PASSWORD },
    })),
    refused('set a short password', [400, 'validation_failed'], async (w) => ({
      as: await passwordlessUser(w),
      body: { password: 'short' },
    })),
    refused('set a common password', [400, 'password_too_common'], async (w) => ({
      as: await passwordlessUser(w),
      body: { password: '1q2w3e4r5t' },
    })),
    refused('set a password without a token', [401, 'unauthorized'], () => ({
      body: { password: NEW_PASSWORD },
    })),
  ],
});

/** Both tables, for the suites that walk every feature's scenarios. */
export const scenarios = {
  endpoints: { ...emailCodeScenarios.endpoints, ...passwordScenarios.endpoints },
  cases: { ...emailCodeScenarios.cases, ...passwordScenarios.cases },
  refusalsRecordedIn: emailCodeScenarios.refusalsRecordedIn,
};
