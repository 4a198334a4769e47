import { Extensions1763700000000 } from './1763700000000-extensions.js';

/** Every migration, oldest first. `pnpm --filter @repo/api db:migration:generate Name` appends here. */
export const migrations = [Extensions1763700000000];
