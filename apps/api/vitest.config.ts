import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Vite's server defaults, with workspace packages read from source (no build before tests).
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  // SWC, not esbuild: Nest's dependency injection needs emitDecoratorMetadata.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Each file has its own database and app on free ports; two at a time suit these 2-core
    // machines (Vitest's default is one fewer worker than cores: one here).
    maxWorkers: 2,
    // A worker runs file after file with the modules it has loaded: loading Nest, TypeORM and the
    // app again for each file was a third of the suite's time. Nothing in the app may therefore
    // keep per-app state at module level (the root logger is a provider, see LoggerModule).
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Whole values in the titles of test.each cases (Vitest 5 cuts them at 40 characters): the
    // password policy's cases name the email and name each password is compared with.
    taskTitleValueFormatTruncate: 0,
  },
});
