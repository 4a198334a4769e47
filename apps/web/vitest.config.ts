import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Workspace packages are read from source (their `source` export), so tests need no build first.
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  // `@/x` is `src/x`, as tsconfig.json's `paths` says (Next reads it from there).
  resolve: { conditions, alias: { '@': fileURLToPath(new URL('src', import.meta.url)) } },
  ssr: { resolve: { conditions } },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
