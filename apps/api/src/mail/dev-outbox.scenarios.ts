import { contract } from '@repo/contracts';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';

export const scenarios = defineScenarios(contract.dev, {
  outbox: [
    succeeds('the whole dev outbox', () => ({})),
    refused('outbox with a bad address', [400, 'validation_failed'], () => ({
      query: { to: 'a@b' },
    })),
  ],
});
