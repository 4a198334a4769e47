import { defineConfig } from 'vitest/config';
import { nginxForTests } from './src/nginx.js';

// Workspace packages are read from source (their `source` export condition): no build first.
const conditions = ['source', 'module', 'node', 'development|production'];

/** Every file but the Dockerfile/compose checks runs nginx. */
const NEEDS_NGINX = ['test/cors.*.test.ts', 'test/nginx.*.test.ts', 'test/stack.*.test.ts'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: nginxForTests(NEEDS_NGINX) ? [] : NEEDS_NGINX,
    // Each file starts its own processes on free ports; two at a time suit these 2-core machines.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
