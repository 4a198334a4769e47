import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../src/paths.js';

const run = promisify(execFile);

/** Every command-line program of the repository, as its package script starts it. */
const PROGRAMS = [
  { name: 'doctor', dir: 'ops/doctor', entry: 'src/cli.ts', wrong: ['--bogus'] },
  { name: 'stack', dir: 'ops/stack', entry: 'src/cli.ts', wrong: ['--replicas', 'two'] },
  { name: 'bench', dir: 'ops/bench', entry: 'src/cli.ts', wrong: ['--only', 'everything'] },
  { name: 'db', dir: 'apps/api', entry: 'src/db.ts', wrong: ['migrat'] },
  { name: 'busy', dir: 'ops/resilience', entry: 'scripts/busy.mjs', wrong: [] },
];

/** Node's own deprecation notices about the TypeScript loader are not the program's output. */
const ownLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => line && !/^\(node:\d+\) \[DEP|^\(Use `node --trace/.test(line));

async function start(dir: string, entry: string, args: string[]) {
  // TypeScript entries through the loader their package scripts use; JavaScript as it is.
  const loader = entry.endsWith('.ts')
    ? ['--conditions=source', '--import', '@swc-node/register/esm-register']
    : [];
  const command = [...loader, entry, ...args];
  try {
    const { stdout, stderr } = await run(process.execPath, command, { cwd: join(ROOT, dir) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe.each(PROGRAMS)('the $name command', ({ dir, entry, wrong }) => {
  it('prints its usage for --help and exits 0', async () => {
    const { code, stdout } = await start(dir, entry, ['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/usage|pnpm /i);
  });

  it('answers a wrong argument with one line and exit code 2, no stack trace', async () => {
    const { code, stdout, stderr } = await start(dir, entry, wrong);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(ownLines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/see --help/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
