import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiProcess, type ApiReplica, devApiEnv, startPostgres } from '@repo/stack';
import { freePort } from '@repo/test-support';
import { type Relay, startRelay } from './relay.js';

type Cluster = Awaited<ReturnType<typeof startPostgres>>;

/** An API process from its build (turbo builds it first), as a test reaches it directly. */
interface ApiInstance {
  replica: ApiReplica;
  /** Its address, and the same with the `/api/v1` prefix. */
  origin: string;
  apiUrl: string;
  wsUrl: string;
  /** Its process id (for its RSS). */
  pid: number;
}

/** API processes on their own embedded PostgreSQL, which a test may stop and start again. */
export interface TestApi extends ApiInstance {
  /** Every API process (the first is the one above). */
  instances: ApiInstance[];
  databaseUrl: string;
  /** Stops PostgreSQL (a fast shutdown: it ends its connections), the API processes left running. */
  stopDatabase(): Promise<void>;
  /** Starts it again on the same port and data. */
  startDatabase(): Promise<void>;
  /**
   * Freezes PostgreSQL (SIGSTOP): the postmaster first, so that it forks nothing more, then every
   * process it started (backends, workers). Resolves with the function that thaws them all.
   */
  freezeDatabase(): Promise<() => void>;
  /** With `{ relay: true }`: what the API processes reach PostgreSQL through. */
  relay?: Relay;
  stop(): Promise<void>;
}

const instance = (replica: ApiReplica): ApiInstance => ({
  replica,
  origin: replica.url,
  apiUrl: `${replica.url}/api/v1`,
  wsUrl: `${replica.url.replace('http', 'ws')}/ws`,
  pid: replica.service.pid!,
});

/**
 * `count` API processes as `pnpm dev` runs one (CORS in the app) on one PostgreSQL of their own,
 * their log at warn and the rate limits out of the way: these suites send many requests from one
 * address.
 */
export async function startApi(
  env: Record<string, string> = {},
  count = 1,
  options: { relay?: boolean } = {},
): Promise<TestApi> {
  const dir = await mkdtemp(join(tmpdir(), 'resilience-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as the postgres user
  const pgDir = join(dir, 'postgres');
  const pgPort = await freePort();
  let cluster: Cluster | undefined = await startPostgres(pgDir, undefined, pgPort);
  const databaseUrl = cluster.url;
  const relay = options.relay ? await startRelay(pgPort) : undefined;
  const apiDatabaseUrl = new URL(databaseUrl);
  if (relay) {
    apiDatabaseUrl.hostname = '127.0.0.1';
    apiDatabaseUrl.port = String(relay.port);
  }
  const replicas: ApiReplica[] = [];
  for (let i = 1; i <= count; i++) {
    replicas.push(
      apiProcess(`api-${i}`, await freePort(), 'dist', devApiEnv(apiDatabaseUrl.toString(), env)),
    );
  }
  const stop = async () => {
    await Promise.all(replicas.map((replica) => replica.service.stop()));
    await relay?.close();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // One after the other: the first applies the migrations.
    for (const replica of replicas) await replica.start();
  } catch (error) {
    await stop();
    throw error;
  }
  const instances = replicas.map(instance);
  return {
    ...instances[0]!,
    instances,
    databaseUrl,
    stopDatabase: async () => {
      await cluster?.stop();
      cluster = undefined;
    },
    startDatabase: async () => {
      cluster = await startPostgres(pgDir, undefined, pgPort);
    },
    freezeDatabase: async () => {
      const postmaster = Number(
        (await readFile(join(pgDir, 'postmaster.pid'), 'utf8')).split('\n')[0],
      );
      process.kill(postmaster, 'SIGSTOP');
      const children = await childrenOf(postmaster);
      for (const pid of children) process.kill(pid, 'SIGSTOP');
      return () => {
        for (const pid of [...children, postmaster]) process.kill(pid, 'SIGCONT');
      };
    },
    relay,
    stop,
  };
}

/** The processes whose parent is `pid`, from /proc (Linux). */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The command name (field 2) may hold spaces: the parent pid is the second field after it.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === pid) children.push(Number(entry));
  }
  return children;
}

/** A process's resident set size in MB, from /proc (Linux). */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`No VmRSS for process ${pid}`);
  return Math.round((kb / 1024) * 10) / 10;
}
