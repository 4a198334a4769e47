import { contract, type SecurityEvent } from '@repo/contracts';
import { expect } from 'vitest';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';

const { securityEvents } = contract;

export const scenarios = defineScenarios(securityEvents, {
  list: [
    succeeds(
      'list security events',
      async (w) => ({ as: await w.user(), query: { page: 1, pageSize: 10 } }),
      (_w, reply) => {
        // The world's user has logged in: that sign-in is on the page.
        const types = (reply.json() as SecurityEvent[]).map((e) => e.type);
        expect(types).toContain('login_succeeded');
        return Promise.resolve();
      },
    ),
    refused('list security events, pageSize 0', [400, 'validation_failed'], async (w) => ({
      as: await w.user(),
      query: { pageSize: 0 },
    })),
    refused('list security events with an API key', [401, 'api_key_invalid'], async (w) => ({
      as: { apiKey: (await w.apiKey(await w.user(), ['read', 'write'])).secret },
    })),
    refused('list security events without a token', [401, 'unauthorized'], () => ({})),
  ],
});
