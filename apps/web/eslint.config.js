import next from '@repo/eslint-config/next';

// `.next-e2e/` is the build of the browser tests (NEXT_DIST_DIR), like `.next/`.
export default [{ ignores: ['.next-e2e/**'] }, ...next];
