import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiReplica, apiProcess, Service, startPostgres, waitFor200 } from '@repo/stack';
import { inject } from 'vitest';
import { E2E_DIST_DIR, NEXT_BIN, publicEnv, WEB_DIR } from './global-setup.js';

/**
 * Which build of the web app a stack serves: `production`, the build of global-setup under
 * `next start`; `development`, `next dev` as `pnpm dev` runs it, compiling pages on request.
 */
export type WebBuild = 'production' | 'development';

export interface Stack {
  webUrl: string;
  apiUrl: string;
  /** The stack's own PostgreSQL, for tests that move its clock-bound rows. */
  databaseUrl: string;
  /** (Re)starts the API with extra environment, e.g. another CORS_ORIGINS. */
  startApi(env?: Record<string, string>): Promise<void>;
  stopApi(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The dev topology, as a user runs it: the API from source (CORS in the app) on a PostgreSQL of
 * its own (a fresh data directory per file), and the web app (its production build by default).
 * `baseEnv` is the API's environment, `webServerEnv` the web server's (its runtime variables).
 */
export async function startStack(
  baseEnv: Record<string, string> = {},
  build: WebBuild = 'production',
  webServerEnv: Record<string, string> = {},
): Promise<Stack> {
  const apiPort = inject('apiPort');
  const webPort = inject('webPort');
  const webUrl = `http://localhost:${webPort}`;
  const dataRoot = await mkdtemp(join(tmpdir(), 'e2e-pg-'));
  await chmod(dataRoot, 0o755); // the postgres user must enter it when the tests run as root
  const cluster = await startPostgres(join(dataRoot, 'data'));
  let api: ApiReplica | undefined;

  const stopApi = async () => {
    await api?.service.stop();
  };
  const startApi = async (env: Record<string, string> = {}) => {
    await stopApi();
    api = apiProcess('api', apiPort, 'source', {
      ...process.env,
      NODE_ENV: 'development',
      API_HOST: '127.0.0.1',
      DATABASE_URL: cluster.url,
      WEB_ORIGIN: webUrl,
      CORS_ORIGINS: webUrl,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_LOGIN_PER_IP: '10000',
      RATE_LIMIT_LOGIN_PER_EMAIL: '10000',
      RATE_LIMIT_AUTH_PER_IP: '10000',
      RATE_LIMIT_EMAIL_CODE_PER_EMAIL: '10000',
      ...baseEnv,
      ...env,
    });
    await api.start();
  };

  const webEnv = {
    ...process.env,
    NEXT_DIST_DIR: E2E_DIST_DIR,
    NEXT_TELEMETRY_DISABLED: '1',
    ...webServerEnv,
  };
  // The next binary itself (not through pnpm), so stopping it stops the server. `next dev` writes
  // to `<distDir>/dev`, beside the production build, and compiles with the same public variables.
  const web = new Service(
    'web',
    process.execPath,
    [NEXT_BIN, build === 'production' ? 'start' : 'dev', '--port', String(webPort)],
    {
      cwd: WEB_DIR,
      env:
        build === 'production'
          ? webEnv
          : { ...webEnv, NODE_ENV: 'development', ...publicEnv(apiPort) },
    },
  ).start();

  const stop = async () => {
    await stopApi();
    await web.stop();
    await cluster.stop();
    await rm(dataRoot, { recursive: true, force: true });
  };
  try {
    await startApi();
    // A development server compiles the page on this first request.
    await waitFor200(webUrl, build === 'production' ? 60_000 : 150_000, 'The web app').catch(
      (error: Error) => {
        throw new Error(`${error.message}\n${web.output.join('\n')}`, { cause: error });
      },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    webUrl,
    apiUrl: `http://localhost:${apiPort}/api/v1`,
    databaseUrl: cluster.url,
    startApi,
    stopApi,
    stop,
  };
}
