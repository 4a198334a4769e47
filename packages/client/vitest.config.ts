import { defineConfig } from 'vitest/config';

// Workspace packages are read from source (their `source` export condition): no build first.
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: { include: ['src/**/*.test.ts'] },
});
