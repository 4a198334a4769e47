import { fileURLToPath } from 'node:url';
import { loadEnvConfig } from '@next/env';
import type { NextConfig } from 'next';

/** The monorepo root: Turbopack resolves and `output: 'standalone'` traces files from here. */
const monorepoRoot = fileURLToPath(new URL('../..', import.meta.url));

// The repository's one `.env` (Next alone reads apps/web/.env); set variables win.
loadEnvConfig(monorepoRoot);

const nextConfig: NextConfig = {
  output: 'standalone',
  // The browser tests build into their own folder, against their own API port.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  outputFileTracingRoot: monorepoRoot,
  // @repo/contracts and @repo/client are bundled from their built `dist` (their default export):
  // Turbopack cannot take their `source` condition, nor resolve the `./x.js` imports of their
  // TypeScript source. Turbo builds them before `dev` and `build` (`dependsOn: ["^build"]`), and
  // their `dev` tasks rebuild them on change.
  transpilePackages: ['@repo/contracts', '@repo/client'],
  turbopack: { root: monorepoRoot },
};

export default nextConfig;
