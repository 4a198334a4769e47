/**
 * The job engine: how soon a worker starts a job, and how many no-op jobs one worker runs a
 * second beside a bare queue on the same database. The unit of work is the API's own `jobs.ping`
 * (a `pg_notify` the bench listens to), as `pnpm jobs ping` uses it.
 */
import pg from 'pg';
import { percentile, round } from './stats.js';

/** The API's ping job and the channel it answers on (apps/api/src/core/jobs/job-ping.ts). */
const PING_TASK = 'jobs.ping';
const PING_CHANNEL = 'jobs_ping';
/** How long a job may wait for a worker before the run is void (no worker is taking jobs). */
const NO_WORKER_MS = 60_000;

export interface JobLatencyFigures {
  jobs: number;
  p50: number;
  p99: number;
  max: number;
}

export interface JobThroughputFigures {
  jobs: number;
  seconds: number;
  perSecond: number;
}

/** A connection listening to the pings' answers: `answered(token)` resolves when one comes. */
async function listener(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`LISTEN ${PING_CHANNEL}`);
  const waiting = new Map<string, () => void>();
  let count = 0;
  const onCount: { target: number; resolve: () => void }[] = [];
  client.on('notification', (message) => {
    count += 1;
    waiting.get(message.payload ?? '')?.();
    for (const wait of onCount) if (count >= wait.target) wait.resolve();
  });
  const withDeadline = (what: string, promise: Promise<void>) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}: no answer in ${NO_WORKER_MS / 1000} s`)),
        NO_WORKER_MS,
      );
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
  };
  return {
    client,
    answered: (token: string) =>
      withDeadline(`ping ${token}`, new Promise<void>((resolve) => waiting.set(token, resolve))),
    /** Resolves once `n` more answers have come. */
    more: (n: number) =>
      withDeadline(
        `${n} pings`,
        new Promise<void>((resolve) => onCount.push({ target: count + n, resolve })),
      ),
    close: () => client.end(),
  };
}

const queuePing = (client: pg.Client, token: string) =>
  client.query(
    `SELECT graphile_worker.add_job($1, json_build_object('token', $2::text), max_attempts := 1)`,
    [PING_TASK, token],
  );

/**
 * Queues `jobs` pings one after another, each once the previous one has answered, after
 * `warmup` unmeasured ones: the time from queuing to the job's answer, an upper bound of the
 * time to its start.
 */
export async function jobLatency(
  databaseUrl: string,
  jobs: number,
  warmup = 20,
): Promise<JobLatencyFigures> {
  const listen = await listener(databaseUrl);
  try {
    const times: number[] = [];
    for (let i = 0; i < warmup + jobs; i++) {
      const token = `latency-${i}`;
      const answered = listen.answered(token);
      const started = performance.now();
      await queuePing(listen.client, token);
      await answered;
      if (i >= warmup) times.push(performance.now() - started);
    }
    return {
      jobs,
      p50: round(percentile(times, 50), 1),
      p99: round(percentile(times, 99), 1),
      max: round(Math.max(...times), 1),
    };
  } finally {
    await listen.close();
  }
}

/** Queues `jobs` pings in one statement and times it until the last has answered. */
export async function engineThroughput(
  databaseUrl: string,
  jobs: number,
): Promise<JobThroughputFigures> {
  const listen = await listener(databaseUrl);
  try {
    const done = listen.more(jobs);
    const started = performance.now();
    await listen.client.query(
      `SELECT count(graphile_worker.add_job($1, json_build_object('token', 'bulk-' || n), max_attempts := 1))
         FROM generate_series(1, $2::int) n`,
      [PING_TASK, jobs],
    );
    await done;
    return throughput(jobs, performance.now() - started);
  } finally {
    await listen.close();
  }
}

/**
 * The baseline: `concurrency` connections, as many as the worker runs jobs at once, each in a
 * loop that writes a job row, does the job (the same `pg_notify`) and deletes the row: the least
 * work a queue in PostgreSQL does per job, with none of an engine's locking, retries or events.
 */
export async function bareQueueThroughput(
  databaseUrl: string,
  jobs: number,
  concurrency: number,
): Promise<JobThroughputFigures> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
  try {
    await pool.query(
      'CREATE TABLE IF NOT EXISTS bench_bare_queue (id bigserial PRIMARY KEY, payload json NOT NULL)',
    );
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const client = await pool.connect();
        try {
          for (let n = next++; n < jobs; n = next++) {
            const { rows } = await client.query<{ id: string }>(
              `INSERT INTO bench_bare_queue (payload) VALUES (json_build_object('token', 'bare-' || $1::int)) RETURNING id`,
              [n],
            );
            await client.query('SELECT pg_notify($1, $2)', ['bench_bare_queue', `bare-${n}`]);
            await client.query('DELETE FROM bench_bare_queue WHERE id = $1', [rows[0]!.id]);
          }
        } finally {
          client.release();
        }
      }),
    );
    const figures = throughput(jobs, performance.now() - started);
    await pool.query('DROP TABLE bench_bare_queue');
    return figures;
  } finally {
    await pool.end();
  }
}

const throughput = (jobs: number, ms: number): JobThroughputFigures => ({
  jobs,
  seconds: round(ms / 1000, 2),
  perSecond: round(jobs / (ms / 1000)),
});
