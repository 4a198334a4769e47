import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  apiProcess,
  devApiEnv,
  NO_RATE_LIMITS,
  type Stack,
  startPostgres,
  startStack,
} from '@repo/stack';
import { freePort, verifiedUser as registerVerified } from '@repo/test-support';
import { type DoctorSetup } from '../../src/index.js';
import { type NginxEdits, nginxPatch } from './patch.js';

/**
 * Real deployments for the doctor to examine: a dev-like API process alone (`pnpm dev`), or the
 * production topology with nginx (`pnpm stack`), each with the settings of one case. The API
 * runs from its build (turbo builds it before these tests, through @repo/stack): the settings,
 * not the source loader, make a deployment, and some twenty start here.
 */
const API_FROM = 'dist';

/** The server's ping interval in these tests: a short one, so the idle check takes ~2 s. */
export const HEARTBEAT_MS = 1_000;

export interface Database {
  url: string;
  stop(): Promise<void>;
}

/** An embedded PostgreSQL for one test file, shared by the APIs and stacks it starts. */
export async function startDatabase(): Promise<Database> {
  const dir = await mkdtemp(join(tmpdir(), 'doctor-pg-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as the postgres user
  try {
    const cluster = await startPostgres(join(dir, 'postgres'));
    return {
      url: cluster.url,
      stop: async () => {
        await cluster.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface DevApi {
  /** The API as `pnpm dev` serves it (localhost: the same site as http://localhost:3000). */
  origin: string;
  apiUrl: string;
  wsUrl: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * `pnpm dev`'s API: one process answering CORS itself (CORS_MODE=app), on a free port; `env`
 * overrides its settings (CORS_ORIGINS defaults to http://localhost:3000).
 */
export async function startDevApi(databaseUrl: string, env: Record<string, string> = {}) {
  const api = apiProcess(
    'api',
    await freePort(),
    API_FROM,
    devApiEnv(databaseUrl, {
      CORS_ORIGINS: 'http://localhost:3000',
      WS_HEARTBEAT_MS: String(HEARTBEAT_MS),
      ...env,
    }),
  );
  await api.start();
  const origin = `http://localhost:${api.port}`;
  return {
    origin,
    apiUrl: `${origin}/api/v1`,
    wsUrl: `ws://localhost:${api.port}/ws`,
    port: api.port,
    stop: () => api.service.stop(),
  } satisfies DevApi;
}

export interface StackCase {
  /** Extra environment of the API processes (CORS_MODE=proxy unless given). */
  apiEnv?: Record<string, string>;
  /** Extra environment of nginx's templates. */
  nginxEnv?: Record<string, string>;
  /** The misconfiguration: edits of the rendered conf.d files. */
  nginx?: NginxEdits;
  /** API processes behind nginx (one keeps a case quick). */
  replicas?: number;
}

/** `pnpm stack` (API-only: no web app behind the web origin), possibly misconfigured. */
async function startProxyStack(databaseUrl: string, options: StackCase = {}) {
  const patch = nginxPatch(options.nginx ?? {});
  const stack = await startStack({
    apiFrom: API_FROM,
    databaseUrl,
    replicas: options.replicas ?? 1,
    apiEnv: {
      ...NO_RATE_LIMITS,
      WS_HEARTBEAT_MS: String(HEARTBEAT_MS),
      LOG_LEVEL: 'warn',
      ...options.apiEnv,
    },
    nginxEnv: options.nginxEnv,
    nginxPatch: patch.patch,
  });
  try {
    patch.check();
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

/** Starts a stack, hands it to `use`, and stops it whatever happens. */
export async function withStack<T>(
  databaseUrl: string,
  options: StackCase,
  use: (stack: Stack) => Promise<T>,
): Promise<T> {
  const stack = await startProxyStack(databaseUrl, options);
  try {
    return await use(stack);
  } finally {
    await stack.stop();
  }
}

export type Credentials = NonNullable<DoctorSetup['credentials']>;

/** A verified account for the doctor to log in with (registered through the dev outbox). */
export async function verifiedUser(apiUrl: string): Promise<Credentials> {
  const { client, credentials } = await registerVerified(apiUrl);
  client.dispose();
  return { email: credentials.email, password: credentials.password };
}

/** What the doctor checks by default in these tests: quick timeouts, no idle wait. */
export function doctorSetup(
  setup: Pick<DoctorSetup, 'apiUrl' | 'wsUrl' | 'origins'> & Partial<DoctorSetup>,
): DoctorSetup {
  return { timeoutMs: 3_000, idleMs: false, ...setup };
}

/** The doctor's setup for a stack, as `pnpm run doctor --stack` builds it for `pnpm stack`. */
export function stackSetup(
  stack: Stack,
  credentials: Credentials | undefined,
  overrides: Partial<DoctorSetup> = {},
): DoctorSetup {
  return doctorSetup({
    apiUrl: stack.apiUrl,
    wsUrl: stack.wsUrl,
    origins: [stack.webUrl],
    config: { corsOrigins: [stack.webUrl], nodeEnv: 'development', cookieSameSite: 'lax' },
    ...(credentials ? { credentials } : {}),
    ...overrides,
  });
}
