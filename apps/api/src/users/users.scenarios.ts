import { contract } from '@repo/contracts';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';

const users = contract.users;

export const scenarios = defineScenarios(users, {
  me: [
    succeeds('me', async (w) => ({ as: await w.user() })),
    succeeds('me with a read key', async (w) => ({
      as: { apiKey: (await w.apiKey(await w.user(), ['read'])).secret },
    })),
    refused('me without a token', [401, 'unauthorized'], () => ({})),
    refused('me with garbage', [401, 'token_invalid'], () => ({
      as: { authorization: 'Bearer garbage' },
    })),
    refused('me with a tampered token', [401, 'token_invalid'], async (w) => ({
      as: { accessToken: `${(await w.user()).accessToken.slice(0, -4)}AAAA` },
    })),
    refused('me with Basic auth', [401, 'token_invalid'], async (w) => {
      const { email, password } = await w.user();
      return {
        as: { authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}` },
      };
    }),
    refused('me with a bogus API key', [401, 'api_key_invalid'], () => ({
      as: { apiKey: 'bogus' },
    })),
    refused('me with a forged API key', [401, 'api_key_invalid'], async (w) => {
      const key = await w.apiKey(await w.user());
      return { as: { apiKey: `${key.apiKey.prefix}_${'x'.repeat(32)}` } };
    }),
  ],
  updateMe: [
    succeeds('patch me', async (w) => ({ as: await w.user(), body: { name: 'Ada Lovelace' } })),
    succeeds('patch me with a write key', async (w) => ({
      as: { apiKey: (await w.apiKey(await w.user(), ['read', 'write'])).secret },
      body: { name: 'Ada King' },
    })),
    refused('patch me with a read key', [403, 'insufficient_scope'], async (w) => ({
      as: { apiKey: (await w.apiKey(await w.user(), ['read'])).secret },
      body: { name: 'Nope' },
    })),
    refused('patch me, empty name', [400, 'validation_failed'], async (w) => ({
      as: await w.user(),
      body: { name: '' },
    })),
    refused('patch me, email', [400, 'validation_failed'], async (w) => ({
      as: await w.user(),
      body: { email: 'x@example.com' },
    })),
    refused('patch me without a token', [401, 'unauthorized'], () => ({ body: { name: 'X' } })),
  ],
});
