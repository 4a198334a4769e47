import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Runs a TypeScript file of test/support in a separate Node process, as `pnpm dev` runs the API. */
export const runInChild = (script: string, args: string[] = []) =>
  spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      '@swc-node/register/esm-register',
      join('test', 'support', script),
      ...args,
    ],
    { cwd: join(import.meta.dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
