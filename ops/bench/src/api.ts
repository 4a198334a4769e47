/**
 * The API under test: an embedded PostgreSQL, the migrations once, and one API process from
 * `apps/api/dist`, configured as a tuned deployment would be for a benchmark (see env below);
 * then a verified user (registered through the API and the dev outbox), its access token, and
 * notes to list.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  API_PREFIX,
  type AuthTokens,
  type CreateNote,
  type OutboxMessage,
  type Register,
} from '@repo/contracts';
import { type ApiReplica, apiProcess, migrate, startPostgres } from '@repo/stack';
import { freePort } from '@repo/test-support';

const PASSWORD = 'bench-password-0123456789';

export interface BenchUser {
  email: string;
  password: string;
  accessToken: string;
}

export interface ApiUnderTest {
  api: ApiReplica;
  /** `http://127.0.0.1:<port>/api/v1` */
  baseUrl: string;
  wsUrl: string;
  env: Record<string, string>;
  databaseUrl: string;
  /** PostgreSQL's data directory (its postmaster.pid names the server). */
  pgDir: string;
  /** Another API process with the same settings (and `extraEnv`), not started. */
  another(name: string, extraEnv?: Record<string, string>): Promise<ApiReplica>;
  stop(): Promise<void>;
}

/**
 * The API's settings for the run: NODE_ENV=development (no SMTP relay or secrets needed; emails
 * go to the dev outbox), JSON logs at `warn` (no line per request, as a tuned deployment runs),
 * and the limits that would otherwise stop the benchmark raised: login and auth rate limits,
 * WebSocket connections per user (every socket is the same user) and messages per socket (the
 * publisher). Nothing else differs from the defaults.
 */
function apiEnv(databaseUrl: string, settings: ApiSettings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return {
    ...env,
    NODE_ENV: 'development',
    API_HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    CORS_MODE: 'app',
    LOG_LEVEL: settings.logLevel,
    LOG_FORMAT: 'json',
    // A secret of this run's own, shared with the lean `/users/me` of servers/bare-http.ts.
    JWT_ACCESS_SECRET: randomBytes(48).toString('base64'),
    JWT_ISSUER: 'fullstack-starter-api',
    JWT_AUDIENCE: 'fullstack-starter',
    ACCESS_TOKEN_TTL: '1h',
    REALTIME_BUS: 'postgres',
    RATE_LIMIT_LOGIN_PER_IP: '1000000',
    RATE_LIMIT_LOGIN_PER_EMAIL: '1000000',
    RATE_LIMIT_AUTH_PER_IP: '1000000',
    // The fan-out opens 2 × clients at once to measure memory, plus a publisher.
    WS_MAX_CONNECTIONS_PER_USER: String(2 * settings.clients + 10),
    WS_MESSAGES_PER_10S: '1000000',
  };
}

export interface ApiSettings {
  /** WebSocket clients the run opens (all as one user). */
  clients: number;
  logLevel: string;
  /** Extra environment of the main API process (e.g. NODE_OPTIONS=--cpu-prof). */
  extraEnv?: Record<string, string>;
}

export async function startApi(settings: ApiSettings): Promise<ApiUnderTest> {
  const runDir = await mkdtemp(join(tmpdir(), 'bench-'));
  // As root, PostgreSQL runs as the `postgres` user, which must enter it.
  await chmod(runDir, 0o755);
  const cleanup: (() => Promise<void>)[] = [() => rm(runDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    cleanup.length = 0;
  };
  try {
    const pgDir = join(runDir, 'postgres');
    const cluster = await startPostgres(pgDir);
    cleanup.push(() => cluster.stop());
    const env = apiEnv(cluster.url, settings);
    await migrate('dist', env);
    const another = async (name: string, extraEnv: Record<string, string> = {}) => {
      const replica = apiProcess(name, await freePort(), 'dist', { ...env, ...extraEnv });
      cleanup.push(() => replica.service.stop());
      return replica;
    };
    const api = await another('api', settings.extraEnv);
    await api.start();
    return {
      api,
      baseUrl: `${api.url}${API_PREFIX}`,
      wsUrl: `ws://127.0.0.1:${api.port}/ws`,
      env,
      databaseUrl: cluster.url,
      pgDir,
      another,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function call<T>(
  method: string,
  url: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

function expectStatus(what: string, got: { status: number; body: unknown }, want: number) {
  if (got.status !== want)
    throw new Error(`${what}: HTTP ${got.status}, expected ${want}: ${JSON.stringify(got.body)}`);
}

/** Logs in (a native client: no Origin, the refresh token comes back in the body). */
async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await call<AuthTokens>('POST', `${baseUrl}/auth/login`, { email, password });
  expectStatus('login', res, 200);
  return res.body.accessToken;
}

/**
 * A verified user as a person gets one: register, the link from the dev outbox, verify-email;
 * then a login and `notes` notes to list.
 */
export async function benchUser(baseUrl: string, notes: number): Promise<BenchUser> {
  const email = `bench-${process.pid}-${Date.now()}@example.com`;
  const registration: Register = { email, password: PASSWORD, name: 'Bench User' };
  expectStatus('register', await call('POST', `${baseUrl}/auth/register`, registration), 202);
  let link: string | null = null;
  for (const deadline = Date.now() + 10_000; !link;) {
    const outbox = await call<OutboxMessage[]>(
      'GET',
      `${baseUrl}/dev/outbox?to=${encodeURIComponent(email)}`,
    );
    link = outbox.body.find((m) => m.link)?.link ?? null;
    if (!link && Date.now() > deadline) throw new Error(`No verification email for ${email}`);
    if (!link) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const token = new URL(link).searchParams.get('token');
  expectStatus('verify-email', await call('POST', `${baseUrl}/auth/verify-email`, { token }), 200);
  const accessToken = await login(baseUrl, email, PASSWORD);
  for (let i = 1; i <= notes; i++) {
    const note: CreateNote = {
      title: `Benchmark note ${i}`,
      body: `A note of a realistic size for the list: ${'lorem ipsum dolor sit amet '.repeat(8)}`,
    };
    expectStatus('create note', await call('POST', `${baseUrl}/notes`, note, accessToken), 201);
  }
  return { email, password: PASSWORD, accessToken };
}
