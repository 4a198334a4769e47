import { defineConfig } from 'vitest/config';

// Workspace packages are read from source (their `source` export condition): no build first.
const conditions = ['source', 'module', 'node', 'development|production'];

/**
 * Run by scripts/run.sh against the stack it started (COMPOSE_* variables): one file at a time,
 * since one of them kills and restarts a replica the others use.
 */
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
