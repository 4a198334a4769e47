import { defineConfig } from 'vitest/config';

// Workspace packages are read from source (their `source` export), so tests need no build first.
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
