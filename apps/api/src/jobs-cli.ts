/** The job engine's operator commands (see USAGE). */
import pg from 'pg';
import { loadConfig } from './core/config/load-config.js';
import { resolveDatabase } from './core/database/database.js';
import { pino } from 'pino';

const USAGE = `
The background jobs, for an operator (run from apps/api: pnpm jobs <command>):
  pnpm jobs failed                  list the jobs given up after their last attempt
  pnpm jobs retry <id>… | --all     run them again, with a fresh set of attempts
  pnpm jobs discard <id>… | --all   delete them: their work will not be done
  pnpm jobs pending                 count the jobs waiting and running, by name
Uses DATABASE_URL, or the embedded PostgreSQL when it is unset. In production, in the API image:
node dist/jobs-cli.js <command>.
`;
const COMMANDS = ['failed', 'retry', 'discard', 'pending'];

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
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } finally {
    await client.end();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
