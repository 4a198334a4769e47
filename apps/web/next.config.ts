import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

/** The monorepo root: Turbopack resolves and `output: 'standalone'` traces files from here. */
const monorepoRoot = fileURLToPath(new URL('../..', import.meta.url));

const nextConfig: NextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  reactStrictMode: true,
  outputFileTracingRoot: monorepoRoot,
  // @repo/contracts is bundled from its built `dist` (its default export): Turbopack cannot take
  // its `source` condition, nor resolve the `./x.js` imports of its TypeScript source. Turbo builds
  // it before `dev` and `build` (`dependsOn: ["^build"]`), and its `dev` task rebuilds it on change.
  transpilePackages: ['@repo/contracts'],
  turbopack: { root: monorepoRoot },
};

export default nextConfig;
