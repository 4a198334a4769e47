import { contract } from '@repo/contracts';
import { defineScenarios, succeeds } from '../../test/support/scenarios.js';

export const scenarios = defineScenarios(contract.health, {
  live: [succeeds('liveness', () => ({}))],
  ready: [succeeds('readiness', () => ({}))],
});
