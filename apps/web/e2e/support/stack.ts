import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor200 } from '@repo/stack';
import { inject } from 'vitest';
import { E2E_DIST_DIR, NEXT_BIN, WEB_DIR } from './global-setup.js';

const API_DIR = join(WEB_DIR, '..', 'api');

export interface Stack {
  webUrl: string;
  apiUrl: string;
  /** (Re)starts the API with extra environment, e.g. another CORS_ORIGINS. */
  startApi(env?: Record<string, string>): Promise<void>;
  stopApi(): Promise<void>;
  stop(): Promise<void>;
}

async function stopProcess(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await once(child, 'exit');
  clearTimeout(timer);
}

/** Output of a child, kept to explain a failed start. */
function capture(child: ChildProcess, lines: string[]) {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      lines.splice(0, Math.max(0, lines.length - 200));
    });
  }
}

/**
 * The real thing, as a user runs it: the API from source on an embedded PostgreSQL of its own
 * (a fresh data directory per file), and the production build of the web app.
 */
export async function startStack(baseEnv: Record<string, string> = {}): Promise<Stack> {
  const apiPort = inject('apiPort');
  const webPort = inject('webPort');
  const webUrl = `http://localhost:${webPort}`;
  const apiUrl = `http://localhost:${apiPort}/api/v1`;
  const dataRoot = await mkdtemp(join(tmpdir(), 'e2e-pg-'));
  await chmod(dataRoot, 0o755); // the postgres user must enter it when the tests run as root
  const pgPort = await freePort();
  let api: ChildProcess | undefined;
  const apiOutput: string[] = [];

  const startApi = async (env: Record<string, string> = {}) => {
    await stopProcess(api);
    api = spawn(
      process.execPath,
      ['--conditions=source', '--import', '@swc-node/register/esm-register', 'src/main.ts'],
      {
        cwd: API_DIR,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          NODE_ENV: 'development',
          // Set (empty: the embedded PostgreSQL below), so a DATABASE_URL in .env is not used.
          DATABASE_URL: '',
          API_HOST: '127.0.0.1',
          API_PORT: String(apiPort),
          EMBEDDED_PG_DIR: join(dataRoot, 'data'),
          EMBEDDED_PG_PORT: String(pgPort),
          WEB_ORIGIN: webUrl,
          CORS_ORIGINS: webUrl,
          LOG_FORMAT: 'json',
          LOG_LEVEL: 'warn',
          RATE_LIMIT_LOGIN_PER_IP: '10000',
          RATE_LIMIT_LOGIN_PER_EMAIL: '10000',
          RATE_LIMIT_AUTH_PER_IP: '10000',
          ...baseEnv,
          ...env,
        },
      },
    );
    capture(api, apiOutput);
    try {
      await waitFor200(`${apiUrl}/health/ready`, 60_000, 'The API');
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${apiOutput.join('\n')}`, { cause: error });
    }
  };

  // The next binary itself (not through pnpm), so stopping it stops the server.
  const web = spawn(process.execPath, [NEXT_BIN, 'start', '--port', String(webPort)], {
    cwd: WEB_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NEXT_DIST_DIR: E2E_DIST_DIR, NEXT_TELEMETRY_DISABLED: '1' },
  });
  const webOutput: string[] = [];
  capture(web, webOutput);

  try {
    await startApi();
    await waitFor200(webUrl, 60_000, 'The web app').catch((error: Error) => {
      throw new Error(`${error.message}\n${webOutput.join('\n')}`, { cause: error });
    });
  } catch (error) {
    await stopProcess(api);
    await stopProcess(web);
    await rm(dataRoot, { recursive: true, force: true });
    throw error;
  }

  return {
    webUrl,
    apiUrl,
    startApi,
    stopApi: () => stopProcess(api),
    stop: async () => {
      await stopProcess(api);
      await stopProcess(web);
      await rm(dataRoot, { recursive: true, force: true });
    },
  };
}
