import { contract, type User } from '@repo/contracts';
import { expect } from 'vitest';
import {
  CONFIRM_SUBJECT,
  confirmedChange,
  requestedChange,
} from '../../test/account/account-world.js';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';

const { account, users } = contract;
const NOT_A_LINK = { token: 'not-a-token-we-ever-mailed' };

export const scenarios = defineScenarios(account, {
  requestEmailChange: [
    succeeds(
      'request an email change',
      async (w) => ({
        as: await w.user(),
        body: { email: `new-${crypto.randomUUID()}@example.com` },
      }),
      async (w, _reply, request) => {
        await w.mailed((request.body as { email: string }).email, CONFIRM_SUBJECT);
      },
    ),
    succeeds('request a change to a taken address (same answer)', async (w) => ({
      as: await w.user(),
      body: { email: (await w.user()).email },
    })),
    refused('request an email change, not an address', [400, 'validation_failed'], async (w) => ({
      as: await w.user(),
      body: { email: 'nope' },
    })),
    refused('request an email change without a token', [401, 'unauthorized'], () => ({
      body: { email: 'x@example.com' },
    })),
  ],
  confirmEmailChange: [
    succeeds(
      'confirm an email change',
      async (w) => {
        const { token, newEmail } = await requestedChange(w);
        return { body: { token }, context: { newEmail } };
      },
      async (_w, reply, request) => {
        expect((reply.json() as User).email).toBe(request.context!.newEmail);
        return Promise.resolve();
      },
    ),
    refused('confirm an email change, unknown link', [400, 'link_invalid'], () => ({
      body: NOT_A_LINK,
    })),
    refused('confirm an email change, no token', [400, 'validation_failed'], () => ({ body: {} })),
  ],
  undoEmailChange: [
    succeeds(
      'undo an email change',
      async (w) => {
        const { undoToken, user } = await confirmedChange(w);
        return { body: { token: undoToken }, context: { user } };
      },
      async (w, _reply, request) => {
        // Every session ended: the access token no longer works.
        await w.expect('me after undo', users.me, [401, 'token_invalid'], {
          as: request.context!.user as { accessToken: string },
        });
      },
    ),
    refused('undo an email change, unknown link', [400, 'link_invalid'], () => ({
      body: NOT_A_LINK,
    })),
  ],
  export: [
    succeeds('export my data', async (w) => ({ as: await w.user() })),
    refused('export without a token', [401, 'unauthorized'], () => ({})),
  ],
  delete: [
    succeeds(
      'delete my account',
      async (w) => ({ as: await w.user() }),
      async (w, _reply, request) => {
        await w.expect('me after deletion', users.me, [401, 'token_invalid'], {
          as: request.as,
        });
      },
    ),
    refused('delete without a token', [401, 'unauthorized'], () => ({})),
  ],
});
