import { once } from 'node:events';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@repo/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/embedded-postgres.js';
import { runInChild } from './support/child.js';

const query = async (url: string, sql: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
};

/** Starts the cluster in a separate Node process, as `pnpm dev` does. */
async function startInChild(dir: string, port: number) {
  const child = runInChild('embedded-child.ts', [dir, String(port)]);
  let out = '';
  for await (const chunk of child.stdout) {
    out += String(chunk);
    const match = /READY (\S+)/.exec(out);
    if (match) return { child, url: match[1]! };
  }
  throw new Error(`the child exited before the cluster was ready: ${out}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('embedded PostgreSQL', () => {
  let root: string;
  let dir: string;
  let port: number;
  let cluster: EmbeddedDatabase | undefined;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'embedded-pg-'));
    await chmod(root, 0o755);
    dir = join(root, 'data');
    port = await freePort();
  });
  afterAll(async () => {
    await cluster?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('recovers after its process was killed with SIGKILL, and keeps the data', async () => {
    const first = await startInChild(dir, port);
    await query(
      first.url,
      'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$before the crash$$)',
    );
    const postmasterPid = Number(
      (await readFile(join(dir, 'postmaster.pid'), 'utf8')).split('\n')[0],
    );

    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    // The orphaned postmaster still holds the data directory: the situation to recover from.
    expect(alive(postmasterPid)).toBe(true);

    cluster = await startEmbeddedPostgres({ dir, port, database: 'app' });
    expect(alive(postmasterPid)).toBe(false);
    expect(await query(cluster.url, 'SELECT v FROM kept')).toEqual([{ v: 'before the crash' }]);
  });

  it('stops cleanly and starts again on the same data', async () => {
    await cluster!.stop();
    await expect(query(cluster!.url, 'SELECT 1')).rejects.toThrow();
    cluster = await startEmbeddedPostgres({ dir, port, database: 'app' });
    expect(await query(cluster.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1 }]);
  });
});
