import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Service } from '@repo/stack';

const BENCH_DIR = join(import.meta.dirname, '..');
export const ROOT = join(BENCH_DIR, '..', '..');
export const API_DIR = join(ROOT, 'apps', 'api');

/** A baseline server of servers/, in a child process; resolves with it and its port once it listens. */
export async function startBareServer(
  name: 'bare-http' | 'bare-ws',
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<{ service: Service; port: number; pid: number }> {
  let resolvePort: (port: number) => void = () => undefined;
  const listening = new Promise<number>((resolve) => (resolvePort = resolve));
  const service = new Service(
    name,
    process.execPath,
    [
      ...nodeArgs,
      '--import',
      '@swc-node/register/esm-register',
      join('src', 'servers', `${name}.ts`),
    ],
    { cwd: BENCH_DIR, env: { PATH: process.env.PATH, ...env } },
    (_source, line) => {
      const match = /^\{"listening":(\d+)\}$/.exec(line.trim());
      if (match) resolvePort(Number(match[1]));
    },
  ).start();
  const port = await Promise.race([
    listening,
    service.exited().then((code) => {
      throw new Error(`${name} exited (${code}) before listening:\n${service.output.join('\n')}`);
    }),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${name} did not listen within 30 s`)), 30_000).unref(),
    ),
  ]);
  return { service, port, pid: service.pid! };
}

/** A process's resident set size in bytes (VmRSS in /proc/<pid>/status). */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`No VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
