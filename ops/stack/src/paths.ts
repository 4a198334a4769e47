import { join } from 'node:path';

/** The monorepo root, and the parts of it the stack runs. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const NGINX_DIR = join(ROOT, 'nginx');
export const API_DIR = join(ROOT, 'apps', 'api');
export const WEB_DIR = join(ROOT, 'apps', 'web');
export const NEXT_BIN = join(WEB_DIR, 'node_modules', 'next', 'dist', 'bin', 'next');
