import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test starts a PostgreSQL cluster, some in a child process.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
