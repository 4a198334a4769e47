import { defineConfig } from 'vitest/config';

// Workspace packages are read from source (their `source` export condition): no build first.
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    // Each file starts its own processes on free ports; two at a time suit these 2-core machines.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
