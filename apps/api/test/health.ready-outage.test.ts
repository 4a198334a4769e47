import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readinessSchema } from '@repo/contracts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '@repo/embedded-postgres';
import { freePort } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';

// This file stops its database, so it runs its own cluster rather than the run's shared one.
describe('readiness through a database outage', () => {
  let dir: string;
  let port: number;
  let cluster: EmbeddedDatabase;
  let t: TestApp;
  const start = () => startEmbeddedPostgres({ dir: join(dir, 'data'), port, database: 'app' });
  const ready = async () => {
    const res = await fetch(`${t.api}/health/ready`);
    return { status: res.status, body: readinessSchema.parse(await res.json()) };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'api-outage-pg-'));
    await chmod(dir, 0o755);
    port = await freePort();
    cluster = await start();
    t = await startTestApp({ databaseUrl: cluster.url });
  });
  afterAll(async () => {
    await t?.close();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('is 200 while the database is up, 503 while it is stopped, and 200 again once it is back', async () => {
    expect((await ready()).status).toBe(200);

    await cluster.stop();
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('error');
    expect(down.body.checks.database).toEqual({ status: 'down', latencyMs: null });

    cluster = await start();
    await expect.poll(async () => (await ready()).status, { timeout: 10_000 }).toBe(200);
    expect((await ready()).body.checks.database.status).toBe('up');
  });
});
