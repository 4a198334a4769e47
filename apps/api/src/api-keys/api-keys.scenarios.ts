import { contract } from '@repo/contracts';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';

const { apiKeys, users } = contract;

export const scenarios = defineScenarios(apiKeys, {
  create: [
    succeeds('create a write key', async (w) => ({
      as: await w.user(),
      body: { name: 'CI', scopes: ['read', 'write'], expiresInDays: 30 },
    })),
    succeeds('create a read key', async (w) => ({
      as: await w.user(),
      body: { name: 'Dashboard' },
    })),
    refused('create a key, empty name', [400, 'validation_failed'], async (w) => ({
      as: await w.user(),
      body: { name: '' },
    })),
    refused('create a key, unknown scope', [400, 'validation_failed'], async (w) => ({
      as: await w.user(),
      body: { name: 'x', scopes: ['admin'] },
    })),
    refused('create a key with a key', [401, 'api_key_invalid'], async (w) => ({
      as: { apiKey: (await w.apiKey(await w.user(), ['read', 'write'])).secret },
      body: { name: 'x' },
    })),
  ],
  list: [
    succeeds('list keys', async (w) => ({ as: await w.user() })),
    refused('list keys with a key', [401, 'api_key_invalid'], async (w) => ({
      as: { apiKey: (await w.apiKey(await w.user(), ['read', 'write'])).secret },
    })),
  ],
  revoke: [
    succeeds(
      'revoke a key',
      async (w) => {
        const user = await w.user();
        const key = await w.apiKey(user);
        return { as: user, params: { id: key.apiKey.id }, context: { secret: key.secret } };
      },
      async (w, _reply, request) => {
        await w.expect('revoke it again', apiKeys.revoke, [404, 'not_found'], request);
        await w.expect('the revoked key', users.me, [401, 'api_key_invalid'], {
          as: { apiKey: request.context!.secret as string },
        });
      },
    ),
    refused('revoke a non-UUID', [400, 'validation_failed'], async (w) => ({
      as: await w.user(),
      params: { id: '1' },
    })),
  ],
});
