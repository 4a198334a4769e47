import { contract } from '@repo/contracts';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';
import { totpCode } from '../../test/support/world.js';

const mfa = contract.mfa;

/** A code of the right form that is none of the codes the API accepts now. */
const wrongCode = (secret: string) => {
  const valid = new Set([-1, 0, 1].map((steps) => totpCode(secret, steps)));
  return ['000000', '111111', '222222', '333333'].find((code) => !valid.has(code))!;
};

export const scenarios = defineScenarios(mfa, {
  setupTotp: [
    succeeds(
      'totp setup',
      async (w) => ({ as: await w.user() }),
      (w, reply) => {
        w.sawTotpSetup(reply);
        return Promise.resolve();
      },
    ),
    refused('totp setup with TOTP on', [409, 'conflict'], async (w) => ({ as: await w.mfaUser() })),
    refused('totp setup without a token', [401, 'unauthorized'], () => ({})),
  ],
  enableTotp: [
    succeeds('totp enable', async (w) => {
      const user = await w.user();
      return { as: user, body: { code: totpCode((await w.totpSetup(user)).secret) } };
    }),
    refused('totp enable, bad format', [400, 'validation_failed'], async (w) => ({
      as: await w.user(),
      body: { code: '12345' },
    })),
    refused('totp enable, wrong code', [400, 'invalid_mfa_code'], async (w) => {
      const user = await w.user();
      return { as: user, body: { code: wrongCode((await w.totpSetup(user)).secret) } };
    }),
    refused('totp enable with TOTP on', [409, 'conflict'], async (w) => {
      const user = await w.mfaUser();
      return { as: user, body: { code: totpCode(user.secret) } };
    }),
    refused('totp enable without a token', [401, 'unauthorized'], () => ({
      body: { code: '123456' },
    })),
  ],
  disableTotp: [
    succeeds(
      'totp disable',
      async (w) => {
        const user = await w.mfaUser();
        return { as: user, body: { password: user.password, code: user.recoveryCodes[1] } };
      },
      async (w, _reply, request) => {
        await w.expect('totp disable again', mfa.disableTotp, [409, 'conflict'], request);
      },
    ),
    refused('totp disable, wrong password', [400, 'wrong_password'], async (w) => {
      const user = await w.mfaUser();
      return { as: user, body: { password: 'not the password', code: user.recoveryCodes[1] } };
    }),
    refused('totp disable, wrong code', [400, 'invalid_mfa_code'], async (w) => {
      const user = await w.mfaUser();
      return { as: user, body: { password: user.password, code: 'zzzzzz-zzzzzz-zzzzzz-zzzzzz' } };
    }),
    refused('totp disable, no code', [400, 'validation_failed'], async (w) => {
      const user = await w.mfaUser();
      return { as: user, body: { password: user.password } };
    }),
  ],
});
