import { chmod, cp, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startEmbeddedPostgres } from '@repo/embedded-postgres';
import { freePort } from '@repo/test-support';
import { renderNginx, startNginx } from './nginx.js';
import { API_DIR, ROOT, WEB_DIR } from './paths.js';
import { type Env, type LineSink, Service, waitFor200 } from './processes.js';

export interface StackOptions {
  /** The public ports nginx listens on: the web origin and the API origin; free ones if not given. */
  webPort?: number;
  apiPort?: number;
  /** API processes behind nginx. */
  replicas?: number;
  /** The API from its TypeScript source (tests) or from its build (`pnpm stack`). */
  apiFrom?: 'source' | 'dist';
  /** The web app's build directory inside apps/web; none: an API-only stack. */
  webDistDir?: string;
  /** An external PostgreSQL; otherwise an embedded one with its data in `pgDir`. */
  databaseUrl?: string;
  pgDir?: string;
  /** Create the verified demo user after the migrations (`pnpm db:seed`). */
  seedDemoUser?: boolean;
  /** Extra environment for the API processes, and for nginx's templates. */
  apiEnv?: Record<string, string>;
  nginxEnv?: Record<string, string>;
  /**
   * Rewrites each rendered conf.d file (name, text) before nginx starts: tests use it to start
   * nginx with a misconfiguration.
   */
  nginxPatch?: (file: string, text: string) => string;
  /** Where nginx's rendered configuration, temp files and access log go; default a temp dir. */
  runDir?: string;
  /** Every line the processes print, with the process name. */
  sink?: LineSink;
}

export interface ApiReplica {
  name: string;
  port: number;
  /** Its own address, bypassing nginx. */
  url: string;
  service: Service;
  /** Starts it (again) and waits until it is ready. */
  start(): Promise<void>;
}

export interface Stack {
  webUrl: string;
  /** The API through nginx, prefix included. */
  apiUrl: string;
  wsUrl: string;
  databaseUrl: string;
  replicas: ApiReplica[];
  nginx: Service;
  nginxDir: string;
  /** nginx's access log so far, one parsed JSON object per request. */
  accessLog(): Promise<Record<string, unknown>[]>;
  /** Stops everything, in order: nginx, web, the API processes, then PostgreSQL. */
  stop(): Promise<void>;
}

export type ApiFrom = 'source' | 'dist';

/** API rate limits out of the way, for tests that send many requests from one address. */
export const NO_RATE_LIMITS = {
  RATE_LIMIT_LOGIN_PER_IP: '100000',
  RATE_LIMIT_LOGIN_PER_EMAIL: '100000',
  RATE_LIMIT_AUTH_PER_IP: '100000',
  RATE_LIMIT_EMAIL_CODE_PER_EMAIL: '100000',
  RATE_LIMIT_INVITES_PER_ORG: '100000',
};

/**
 * An API process's environment as `pnpm dev` runs it (development, CORS answered by the app) on
 * `databaseUrl`, for tests that call it directly: rate limits out of the way, the log at warn.
 * `env` adds or overrides settings.
 */
export const devApiEnv = (databaseUrl: string, env: Env = {}): Env => ({
  ...process.env,
  ...NO_RATE_LIMITS,
  NODE_ENV: 'development',
  API_HOST: '127.0.0.1',
  DATABASE_URL: databaseUrl,
  CORS_MODE: 'app',
  LOG_LEVEL: 'warn',
  ...env,
});

const apiCommand = (from: ApiFrom, script: string) =>
  from === 'source'
    ? ['--conditions=source', '--import', '@swc-node/register/esm-register', `src/${script}.ts`]
    : ['--enable-source-maps', `dist/${script}.js`];

/**
 * An embedded PostgreSQL with its data in `dir`, on a free port, or on `port`: to restart a
 * stopped cluster where its clients expect it, start it again with the same `dir` and `port`.
 */
export async function startPostgres(dir: string, sink?: LineSink, port?: number) {
  return startEmbeddedPostgres({
    dir,
    port: port ?? (await freePort()),
    database: 'app',
    log: (line) => sink?.('postgres', line),
  });
}

/**
 * The migrations, once (what the compose file's migrate job does); `seed` also creates the demo
 * user (dev only).
 */
export async function migrate(
  from: ApiFrom,
  env: Env,
  sink?: LineSink,
  command: 'migrate' | 'seed' = 'migrate',
) {
  const job = new Service(
    command,
    process.execPath,
    [...apiCommand(from, 'db'), command],
    { cwd: API_DIR, env },
    sink,
  ).start();
  if ((await job.exited()) !== 0)
    throw new Error(`The migrations failed:\n${job.output.join('\n')}`);
}

/** An API process on `port` (not started yet). */
export function apiProcess(
  name: string,
  port: number,
  from: ApiFrom,
  env: Env,
  sink?: LineSink,
): ApiReplica {
  const service = new Service(
    name,
    process.execPath,
    apiCommand(from, 'main'),
    { cwd: API_DIR, env: { ...env, API_PORT: String(port) } },
    sink,
  );
  const url = `http://127.0.0.1:${port}`;
  return {
    name,
    port,
    url,
    service,
    start: async () => {
      service.start();
      await waitFor200(`${url}/api/v1/health/ready`, 60_000, name).catch((error: Error) => {
        throw new Error(`${error.message}\n${service.output.join('\n')}`, { cause: error });
      });
    },
  };
}

/** The job worker as a process of its own (apps/api/src/worker.ts); `env` names its DATABASE_URL. */
export function workerProcess(name: string, from: ApiFrom, env: Env, sink?: LineSink): Service {
  return new Service(
    name,
    process.execPath,
    apiCommand(from, 'worker'),
    { cwd: API_DIR, env },
    sink,
  );
}

/**
 * The production topology on this machine: PostgreSQL, the migrations once, N API processes
 * with CORS_MODE=proxy, the built web app, and nginx in front rendered from nginx/templates.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const apiFrom = options.apiFrom ?? 'dist';
  const sink = options.sink;
  const webPort = options.webPort ?? (await freePort());
  const apiPort = options.apiPort ?? (await freePort());
  const webUrl = `http://localhost:${webPort}`;
  const apiOrigin = `http://localhost:${apiPort}`;
  const ownRunDir = !options.runDir;
  const runDir = options.runDir ?? (await mkdtemp(join(tmpdir(), 'stack-')));
  // As root, PostgreSQL and nginx's workers run as unprivileged users that must enter it.
  if (ownRunDir) await chmod(runDir, 0o755);
  const cleanup: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    cleanup.length = 0;
    if (ownRunDir) await rm(runDir, { recursive: true, force: true });
  };

  try {
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      const cluster = await startPostgres(options.pgDir ?? join(runDir, 'postgres'), sink);
      cleanup.push(() => cluster.stop());
      databaseUrl = cluster.url;
    }

    const apiEnv = {
      ...process.env,
      NODE_ENV: 'development',
      API_HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      CORS_MODE: 'proxy',
      CORS_ORIGINS: webUrl,
      WEB_ORIGIN: webUrl,
      TRUST_PROXY: 'true',
      // Sign-in providers send the browser back to nginx's API origin.
      API_PUBLIC_URL: apiOrigin,
      ...options.apiEnv,
    };
    await migrate(apiFrom, apiEnv, sink, options.seedDemoUser ? 'seed' : 'migrate');
    const replicas: ApiReplica[] = [];
    for (let i = 1; i <= (options.replicas ?? 2); i++) {
      const replica = apiProcess(`api-${i}`, await freePort(), apiFrom, apiEnv, sink);
      cleanup.push(() => replica.service.stop());
      replicas.push(replica);
    }
    await Promise.all(replicas.map((replica) => replica.start()));

    let webUpstream = `127.0.0.1:${await freePort()}`;
    if (options.webDistDir) {
      const web = await standaloneWeb(options.webDistDir, Number(webUpstream.split(':')[1]), sink);
      cleanup.push(() => web.stop());
      await waitFor200(`http://${webUpstream}/`, 60_000, 'The web app').catch((error: Error) => {
        throw new Error(`${error.message}\n${web.output.join('\n')}`, { cause: error });
      });
    } else {
      webUpstream = '127.0.0.1:9'; // nothing: nginx answers 503 for the web origin
    }

    const rendered = await renderNginx(
      {
        CORS_ORIGINS: webUrl,
        API_UPSTREAMS: replicas.map((r) => `127.0.0.1:${r.port}`).join(','),
        WEB_UPSTREAM: webUpstream,
        NGINX_WEB_PORT: String(webPort),
        NGINX_API_PORT: String(apiPort),
        ...options.nginxEnv,
      },
      join(runDir, 'nginx'),
      options.nginxPatch,
    );
    const nginx = await startNginx(rendered, sink);
    cleanup.push(() => nginx.stop('SIGQUIT'));

    return {
      webUrl,
      apiUrl: `${apiOrigin}/api/v1`,
      wsUrl: `ws://localhost:${apiPort}/ws`,
      databaseUrl,
      replicas,
      nginx,
      nginxDir: rendered.dir,
      accessLog: () => readJsonLines(rendered.vars.NGINX_ACCESS_LOG!),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The web app as its image runs it: Next's standalone server, with the static files copied
 * beside it (`next build` leaves that to the deployment).
 */
async function standaloneWeb(distDir: string, port: number, sink?: LineSink) {
  const standalone = join(WEB_DIR, distDir, 'standalone');
  const appDir = join(standalone, relative(ROOT, WEB_DIR));
  await cp(join(WEB_DIR, distDir, 'static'), join(appDir, distDir, 'static'), { recursive: true });
  return new Service(
    'web',
    process.execPath,
    [join(appDir, 'server.js')],
    {
      cwd: appDir,
      env: {
        ...process.env,
        PORT: String(port),
        HOSTNAME: '127.0.0.1',
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
    sink,
  ).start();
}

async function readJsonLines(file: string): Promise<Record<string, unknown>[]> {
  const handle = await open(file).catch(() => undefined);
  if (!handle) return [];
  try {
    const text = await handle.readFile('utf8');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  } finally {
    await handle.close();
  }
}
