import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Jobs } from '../../src/core/jobs/jobs.js';
import { JOBS_FIXTURE_TABLES, JobsFixtureModule } from '../fixtures/jobs.fixture.js';
import { jobsWhere, query } from '../support/jobs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, migrateTestDatabase } from '../support/test-database.js';

const POLL = { timeout: 30_000, interval: 100 };
const API_DIR = join(import.meta.dirname, '..', '..');

/** The operator's command, as `pnpm jobs` runs it, on the test database. */
async function jobsCli(t: TestApp, ...args: string[]) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      '@swc-node/register/esm-register',
      'src/jobs-cli.ts',
      ...args,
    ],
    { cwd: API_DIR, env: { ...process.env, DATABASE_URL: t.databaseUrl, NODE_ENV: 'test' } },
  );
  return stdout;
}

const runs = async (t: TestApp, where = 'true') =>
  query<{ n: number; worker: string }>(
    t.databaseUrl,
    `SELECT n, worker FROM fixture_job_runs WHERE ${where}`,
  );

describe('the job engine', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateTestDatabase(database.url);
    await query(database.url, JOBS_FIXTURE_TABLES);
    // The minute ticker has been known for 3½ minutes and never ran: both replicas, starting
    // together, catch up its missed periods (see the cron test).
    await query(
      database.url,
      `INSERT INTO graphile_worker._private_known_crontabs (identifier, known_since)
       VALUES ('fixture.tick', now() - interval '210 seconds')`,
    );
    const replica = () => startTestApp({ databaseUrl: database.url, imports: [JobsFixtureModule] });
    [a, b] = await Promise.all([replica(), replica()]);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  it('runs each of 1,000 jobs exactly once with two API replicas working the queue', async () => {
    await query(
      a.databaseUrl,
      `SELECT graphile_worker.add_job('fixture.record', json_build_object('n', n))
         FROM generate_series(1, 1000) n`,
    );
    await expect
      .poll(async () => (await jobsWhere(a, "task_identifier = 'fixture.record'")).length, POLL)
      .toBe(0);
    const done = await runs(a, 'n BETWEEN 1 AND 1000');
    expect(done).toHaveLength(1000);
    expect(new Set(done.map((r) => r.n)).size).toBe(1000);
    // Both took their share (each runs JOBS_CONCURRENCY at once, woken by the same NOTIFY).
    expect(new Set(done.map((r) => r.worker)).size).toBe(2);
  });

  it('queues nothing for a transaction that rolls back, and the job of one that commits', async () => {
    const jobs = a.app.get(Jobs);
    const db = a.app.get(DataSource);
    await expect(
      db.transaction(async (manager) => {
        await jobs.enqueue('fixture.record', { n: -1 }, { manager, jobKey: 'rolled-back' });
        throw new Error('the change fails after queuing its job');
      }),
    ).rejects.toThrow('the change fails');
    await db.transaction(async (manager) => {
      await jobs.enqueue('fixture.record', { n: -2 }, { manager, jobKey: 'committed' });
    });

    await expect.poll(async () => (await runs(a, 'n = -2')).length, POLL).toBe(1);
    // The committed job was queued after the rolled-back one and has run: the other never was.
    expect(await runs(a, 'n = -1')).toEqual([]);
    expect(await jobsWhere(a, "key IN ('rolled-back', 'committed')")).toEqual([]);
  });

  // Each run of the command is a Node process compiling TypeScript: seconds each on a busy machine.
  it(
    'keeps a job that failed its last attempt for an operator, who lists it and runs it again',
    { timeout: 120_000 },
    async () => {
      const id = await a.app.get(Jobs).enqueue('fixture.flaky', { n: -3 });
      await expect
        .poll(async () => (await jobsWhere(a, 'id = $1', [id]))[0]?.last_error, POLL)
        .toBe('No permit for -3');
      expect((await jobsWhere(a, 'id = $1', [id]))[0]).toMatchObject({
        attempts: 1,
        max_attempts: 1,
      });

      expect(await jobsCli(a, '--help')).toMatch(/pnpm jobs failed/);
      const listed = await jobsCli(a, 'failed');
      expect(listed).toMatch(
        new RegExp(`^${id}\\tfixture\\.flaky\\t1 attempts\\t.*\\tNo permit for -3$`, 'm'),
      );

      await query(a.databaseUrl, 'INSERT INTO fixture_job_permits (n) VALUES (-3)');
      expect(await jobsCli(a, 'retry', id)).toBe('Queued 1 job(s) again.\n');
      await expect.poll(async () => (await runs(a, 'n = -3')).length, POLL).toBe(1);
      expect(await jobsWhere(a, 'id = $1', [id])).toEqual([]);
      expect(await jobsCli(a, 'failed')).not.toContain(`${id}\t`);
    },
  );

  it("answers an operator's ping once a worker has run it", { timeout: 60_000 }, async () => {
    expect(await jobsCli(a, 'ping', '3')).toMatch(
      /^A worker ran 3 ping\(s\): queued to run in [\d.]+ ms \(median\), [\d.]+ ms at most\.$/m,
    );
    expect(await jobsWhere(a, "task_identifier = 'jobs.ping'")).toEqual([]);
    await expect(jobsCli(a, 'ping', '0')).rejects.toMatchObject({ code: 2 });
  });

  // The engine schedules a period in the same statement that records it as done: of the two
  // replicas' schedulers, the second finds it done. Both caught up the same missed periods at start.
  it('runs a cron job once per period with two replicas scheduling it', async () => {
    const periods = () =>
      query<{ ts: string; runs: number }>(
        a.databaseUrl,
        'SELECT ts, count(*)::int AS runs FROM fixture_cron_runs GROUP BY ts ORDER BY ts',
      );
    await expect.poll(async () => (await periods()).length, POLL).toBeGreaterThanOrEqual(3);
    // Both schedulers have had their turn once the jobs are done and no other is queued.
    await expect
      .poll(async () => (await jobsWhere(a, "task_identifier = 'fixture.tick'")).length, POLL)
      .toBe(0);
    for (const period of await periods()) expect(period.runs, period.ts).toBe(1);
  });
});
