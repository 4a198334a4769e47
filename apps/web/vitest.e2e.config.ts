import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser tests: the real API (embedded PostgreSQL) and the built web app, driven by Chromium.
// Workspace packages are read from source (their `source` export condition).
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  // `@/x` is `src/x`, as in vitest.config.ts: the src modules the tests import may use it.
  resolve: { conditions, alias: { '@': fileURLToPath(new URL('src', import.meta.url)) } },
  ssr: { resolve: { conditions } },
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/support/global-setup.ts'],
    // One browser flow at a time: they share the API process and these machines have 2 cores.
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
