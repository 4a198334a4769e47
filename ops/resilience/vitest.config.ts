import { defineConfig } from 'vitest/config';

// Workspace packages are read from source (their `source` export condition): no build first.
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    // Each file loads the machine on purpose (a load, a fault, a fuzz run): one at a time, so
    // their figures are not skewed by each other on these 2-core machines.
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
