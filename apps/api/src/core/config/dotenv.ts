import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The monorepo root (where pnpm-workspace.yaml is); the start directory outside a checkout. */
function workspaceRoot(from = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

/**
 * Reads the repository's `.env`, if there is one, into process.env. Variables already set in
 * the environment win, so a deployment's own settings are never overridden by a stray file.
 */
export function loadDotEnv(): void {
  const file = join(workspaceRoot(), '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
