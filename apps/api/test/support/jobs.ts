import pg from 'pg';
import { expect } from 'vitest';
import { Jobs } from '../../src/core/jobs/jobs.js';
import { type TestApp } from './test-app.js';

export interface JobRow {
  id: string;
  task_identifier: string;
  key: string | null;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_by: string | null;
  run_at: Date;
}

/** A query on a connection of its own (the app's pool may be the thing under test). */
export async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The queued jobs (done ones are deleted), from the engine's public view. */
export const jobsWhere = (t: TestApp, where: string, params: unknown[] = []) =>
  query<JobRow>(t.databaseUrl, `SELECT * FROM graphile_worker.jobs WHERE ${where}`, params);

/** Makes these jobs due now, as if their backoff had passed. */
export const dueNow = (t: TestApp, ids: string[]) =>
  query(t.databaseUrl, 'SELECT graphile_worker.reschedule_jobs($1::bigint[], run_at := now())', [
    ids,
  ]);

/** Queues a job through the app and waits until a worker has run it successfully. */
export async function runJob(t: TestApp, name: string, payload: Record<string, unknown> = {}) {
  const id = await t.app.get(Jobs).enqueue(name, payload);
  await expect
    .poll(
      async () => {
        const [job] = await jobsWhere(t, 'id = $1', [id]);
        return job ? (job.last_error ?? 'queued') : 'done';
      },
      { timeout: 20_000, interval: 50 },
    )
    .toBe('done');
}
