/** The job engine's operator commands (see USAGE). */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from './core/config/load-config.js';
import { resolveDatabase } from './core/database/database.js';
import { PING_CHANNEL, PING_TASK } from './core/jobs/job-ping.js';
import { pino } from 'pino';

const USAGE = `
The background jobs, for an operator (run from apps/api: pnpm jobs <command>):
  pnpm jobs failed                  list the jobs given up after their last attempt
  pnpm jobs retry <id>… | --all     run them again, with a fresh set of attempts
  pnpm jobs discard <id>… | --all   delete them: their work will not be done
  pnpm jobs pending                 count the jobs waiting and running, by name
  pnpm jobs ping [count]            queue no-op jobs one at a time (default 3) and time how soon
                                    a worker runs each: is one taking jobs?
Uses DATABASE_URL, or the embedded PostgreSQL when it is unset. In production, in the API image:
node dist/jobs-cli.js <command>.
`;
const COMMANDS = ['failed', 'retry', 'discard', 'pending', 'ping'];
/** How long a ping may wait for a worker before the command says none is taking jobs. */
const PING_TIMEOUT_MS = 10_000;

const GIVEN_UP = 'locked_at IS NULL AND attempts >= max_attempts';

interface FailedJob {
  id: string;
  task_identifier: string;
  attempts: number;
  last_error: string | null;
  updated_at: Date;
}

/** The ids named, or every given-up job's with --all; refuses anything else. */
async function targets(client: pg.Client, args: string[]): Promise<string[]> {
  if (args.length === 1 && args[0] === '--all') {
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM graphile_worker.jobs WHERE ${GIVEN_UP}`,
    );
    return rows.map((row) => row.id);
  }
  if (args.length === 0 || args.some((arg) => !/^\d+$/.test(arg))) {
    throw new UsageError('Name the jobs by their ids (see pnpm jobs failed), or say --all');
  }
  return args;
}

class UsageError extends Error {}

/**
 * Queues `count` pings one after another and waits for each to say it ran (a NOTIFY): the time
 * from queuing to that answer, which is what a job waits for a worker. A ping no worker ran in
 * PING_TIMEOUT_MS is taken off the queue.
 */
async function ping(client: pg.Client, count: number): Promise<number[]> {
  await client.query(`LISTEN ${PING_CHANNEL}`);
  const answered = new Map<string, () => void>();
  client.on('notification', (message) => answered.get(message.payload ?? '')?.());
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const token = randomUUID();
    const ran = new Promise<boolean>((resolve) => {
      const timer = setTimeout(resolve, PING_TIMEOUT_MS, false);
      answered.set(token, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    const started = performance.now();
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM graphile_worker.add_job($1, json_build_object('token', $2::text), max_attempts := 1)`,
      [PING_TASK, token],
    );
    if (!(await ran)) {
      await client.query('SELECT graphile_worker.complete_jobs($1::bigint[])', [[rows[0]!.id]]);
      throw new CommandFailure(
        `No worker ran the ping within ${PING_TIMEOUT_MS / 1000} s: start one (pnpm worker), or the API with JOBS_WORKER=true.`,
      );
    }
    times.push(performance.now() - started);
  }
  return times;
}

class CommandFailure extends Error {}

async function run(client: pg.Client, command: string, args: string[]) {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (command === 'failed') {
    const { rows } = await client.query<FailedJob>(
      `SELECT id, task_identifier, attempts, last_error, updated_at FROM graphile_worker.jobs
        WHERE ${GIVEN_UP} ORDER BY updated_at DESC`,
    );
    if (rows.length === 0) out('No failed jobs.');
    for (const job of rows) {
      out(
        `${job.id}\t${job.task_identifier}\t${job.attempts} attempts\t${job.updated_at.toISOString()}\t${job.last_error ?? ''}`,
      );
    }
  } else if (command === 'retry') {
    const ids = await targets(client, args);
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM graphile_worker.reschedule_jobs($1::bigint[], run_at := now(), attempts := 0)`,
      [ids],
    );
    out(`Queued ${rows.length} job(s) again.`);
  } else if (command === 'discard') {
    const ids = await targets(client, args);
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM graphile_worker.complete_jobs($1::bigint[])`,
      [ids],
    );
    out(`Discarded ${rows.length} job(s).`);
  } else if (command === 'ping') {
    if (args.length > 1 || (args[0] !== undefined && !/^[1-9]\d{0,3}$/.test(args[0]))) {
      throw new UsageError('Say how many pings, from 1 to 9999 (default 3)');
    }
    const times = (await ping(client, Number(args[0] ?? 3))).toSorted((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    out(
      `A worker ran ${times.length} ping(s): queued to run in ${at(0.5).toFixed(1)} ms (median), ${times.at(-1)!.toFixed(1)} ms at most.`,
    );
  } else {
    const { rows } = await client.query<{ job: string; waiting: number; running: number }>(
      `SELECT task_identifier AS job,
              count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts)::int AS waiting,
              count(*) FILTER (WHERE locked_at IS NOT NULL)::int AS running
         FROM graphile_worker.jobs GROUP BY 1 ORDER BY 1`,
    );
    if (rows.length === 0) out('No jobs queued.');
    for (const row of rows) out(`${row.job}\t${row.waiting} waiting\t${row.running} running`);
  }
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if ([command, ...args].some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${USAGE.trim()}\n`);
    return;
  }
  if (!command || !COMMANDS.includes(command)) {
    process.stderr.write(
      `${command ? `Unknown command "${command}"` : 'No command'}: use ${COMMANDS.join(', ')} (see --help)\n`,
    );
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  const logger = pino({ level: 'warn' });
  const database = await resolveDatabase(config, logger);
  const client = new pg.Client({ connectionString: database.url });
  try {
    await client.connect();
    await run(client, command, args);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof CommandFailure)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  } finally {
    await client.end();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
