import { corsConformance } from '@repo/stack/cors-conformance';
import { describe } from 'vitest';
import { replicaUrl, stack } from './support/compose.js';

// The same cases as `pnpm stack` (ops/stack), against nginx of the compose stack: run.sh starts it
// with the suite's origins in CORS_ORIGINS.
describe('CORS conformance: compose stack', () => {
  corsConformance(async () => ({
    apiUrl: stack.apiUrl,
    wsUrl: stack.wsUrl,
    apiProcessUrls: [await replicaUrl('api-1'), await replicaUrl('api-2')],
    apiAnswersCors: false,
    stop: async () => {},
  }));
});
