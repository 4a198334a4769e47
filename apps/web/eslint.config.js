import next from '@repo/eslint-config/next';

// `.next-e2e/` and `.next-stack/` are builds of the browser tests and `pnpm stack` (NEXT_DIST_DIR).
export default [{ ignores: ['.next-e2e/**', '.next-stack/**'] }, ...next];
