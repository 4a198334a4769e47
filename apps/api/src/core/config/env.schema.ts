import { z } from 'zod';

/** The value every dev default secret carries, so production can recognise and refuse it. */
export const DEV_SECRET_MARKER = 'dev-only-insecure';
const DEV_JWT_SECRET = `${DEV_SECRET_MARKER}-jwt-access-secret-change-me-0000`;
const DEV_DATA_SECRET = `${DEV_SECRET_MARKER}-data-encryption-secret-change-me`;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'Expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'Expected a duration such as 900s, 15m, 12h or 30d');

/** An exact origin: scheme, host and optional port, nothing else (no path, no trailing slash). */
const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}, 'Expected an exact origin such as https://app.example.com (scheme://host[:port], no path, no trailing slash)');

const originList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(origin.refine((o) => o !== '*', 'A wildcard cannot be used with credentials'))
      .min(1, 'List at least one origin'),
  );

/** A provider's URL: https, or http in development and tests (a local provider). */
const providerUrl = z.url({ protocol: /^https?$/, error: 'Expected an http(s) URL' });

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  API_HOST: z.string().min(1).default('0.0.0.0'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  API_BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  /** A request's headers and body must arrive within this, or its connection is closed; 0: never. */
  API_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  /** Unset: an embedded PostgreSQL is started (dev and tests only). */
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'Expected postgres://user:pass@host:port/db' })
    .optional(),
  /**
   * The longest the API waits on PostgreSQL for one thing: a new connection, a free one from the
   * pool, a statement. Past it the request is a 503, so a hung database cannot hang requests.
   */
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  EMBEDDED_PG_DIR: z.string().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54320),
  WEB_ORIGIN: origin.default('http://localhost:3000'),
  CORS_ORIGINS: originList.default(['http://localhost:3000']),
  CORS_MODE: z.enum(['app', 'proxy']).default('app'),
  TRUST_PROXY: bool.default(false),
  JWT_ACCESS_SECRET: z.string().min(1).default(DEV_JWT_SECRET),
  JWT_ISSUER: z.string().min(1).default('fullstack-starter-api'),
  JWT_AUDIENCE: z.string().min(1).default('fullstack-starter'),
  ACCESS_TOKEN_TTL: duration.default('15m'),
  REFRESH_TOKEN_TTL: duration.default('30d'),
  /** A session ends this long after its sign-in, however often it is refreshed. */
  SESSION_MAX_LIFETIME: duration.default('90d'),
  /** A rotated refresh token still works this long (two tabs refreshing at once). */
  REFRESH_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  REQUIRE_EMAIL_VERIFICATION: bool.default(true),
  /** Days the audit log (security_events) keeps an event; older ones are pruned hourly. */
  SECURITY_EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** The account name authenticator apps show next to the code. */
  TOTP_ISSUER: z.string().trim().min(1).max(64).default('Full-stack starter'),
  /** The site name browsers show for passkeys; the RP ID is WEB_ORIGIN's host. */
  PASSKEY_RP_NAME: z.string().trim().min(1).max(64).default('Full-stack starter'),
  /** Encrypts TOTP secrets at rest and peppers recovery-code hashes. */
  DATA_ENCRYPTION_SECRET: z.string().min(1).default(DEV_DATA_SECRET),
  /** Refuse passwords known from breaches, asking PWNED_PASSWORDS_URL's range API (k-anonymity). */
  BREACHED_PASSWORD_CHECK: bool.default(false),
  /** A Pwned Passwords range API: GET <url>/range/<first 5 hex of SHA-1> → SUFFIX:COUNT lines. */
  PWNED_PASSWORDS_URL: providerUrl.default('https://api.pwnedpasswords.com'),
  RATE_LIMIT_LOGIN_PER_IP: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_LOGIN_PER_EMAIL: z.coerce.number().int().min(1).default(5),
  /** Per minute, IP and route: register, verify-mfa, resend-verification, password reset, code checks. */
  RATE_LIMIT_AUTH_PER_IP: z.coerce.number().int().min(1).default(10),
  /** Per hour and email address, whatever the IP: email-code requests, and their verifications. */
  RATE_LIMIT_EMAIL_CODE_PER_EMAIL: z.coerce.number().int().min(1).default(10),
  /** Per hour and organisation: the invitations it mails, new ones and resent ones. */
  RATE_LIMIT_INVITES_PER_ORG: z.coerce.number().int().min(1).default(50),
  COOKIE_SECURE: bool.optional(),
  COOKIE_SAMESITE: z.enum(['lax', 'strict', 'none']).default('lax'),
  /** postgres: events reach every API instance through LISTEN/NOTIFY. memory: this process only. */
  REALTIME_BUS: z.enum(['postgres', 'memory']).default('postgres'),
  /**
   * Users, sessions and API keys kept in each API process (see AccessCache), and as many verified
   * access tokens (VerifiedAccessTokens); 0 turns both off.
   */
  ACCESS_CACHE_MAX: z.coerce.number().int().min(0).default(100_000),
  WS_HEARTBEAT_MS: z.coerce.number().int().min(50).default(25_000),
  WS_AUTH_TIMEOUT_MS: z.coerce.number().int().min(50).default(5_000),
  WS_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).default(20),
  /** Messages a connection may send per 10 seconds before it is closed (4429). */
  WS_MESSAGES_PER_10S: z.coerce.number().int().min(1).default(50),
  /** A connection whose unsent data grows past this is dropped (a slow consumer). */
  WS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('Starter <no-reply@localhost>'),
  /** Run the job worker in this process; false when a worker process of its own runs them. */
  JOBS_WORKER: bool.default(true),
  /** Jobs one worker runs at once. */
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(5),
  /** At a shutdown, running jobs get this long to finish; then they are handed back. */
  JOBS_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(5_000),
  /**
   * Each worker says it is alive this often. One silent for 6 beats (30 s by default) is taken
   * for dead, and its jobs are handed to another worker.
   */
  JOBS_HEARTBEAT_MS: z.coerce.number().int().min(50).default(5_000),
  /**
   * A file the worker touches at each heartbeat that reached the database: the health check of a
   * worker process (it has no HTTP server) reads its age.
   */
  JOBS_HEALTH_FILE: z.string().min(1).optional(),
  /**
   * Where browsers reach the API (scheme://host[:port]); a provider's redirect URI is this plus
   * /api/v1/auth/oauth/<provider>/callback. Unset (development only): the origin each request
   * came to.
   */
  API_PUBLIC_URL: origin.optional(),
  /** Sign-in with GitHub (OAuth app): both or neither. */
  GITHUB_CLIENT_ID: z.string().trim().min(1).optional(),
  GITHUB_CLIENT_SECRET: z.string().trim().min(1).optional(),
  /** GitHub's authorize and token endpoints are below this; its REST API at GITHUB_API_URL. */
  GITHUB_BASE_URL: providerUrl.default('https://github.com'),
  GITHUB_API_URL: providerUrl.default('https://api.github.com'),
  /** Sign-in with Google (OpenID Connect, found through discovery at GOOGLE_ISSUER). */
  GOOGLE_CLIENT_ID: z.string().trim().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().trim().min(1).optional(),
  GOOGLE_ISSUER: providerUrl.default('https://accounts.google.com'),
  /** Any OpenID Connect provider (discovery at OIDC_ISSUER); OIDC_NAME labels its button. */
  OIDC_ISSUER: providerUrl.optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().trim().min(1).optional(),
  OIDC_NAME: z.string().trim().min(1).max(40).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /**
   * Set: traces are sent there over OTLP/HTTP (<endpoint>/v1/traces), e.g. an OpenTelemetry
   * Collector's http://collector:4318. Unset: no tracing, and none of its cost.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'Expected an http(s) URL' })
    .optional(),
  OTEL_SERVICE_NAME: z.string().trim().min(1).default('api'),
  /**
   * The share of traces recorded (0 to 1) when the request brings no sampling decision; a
   * request with a `traceparent` follows its caller's.
   */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /**
   * Set: Prometheus metrics at http://METRICS_HOST:METRICS_PORT/metrics, a server of its own that
   * the public nginx servers never proxy to. Unset: no metrics, and none of their cost.
   */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** 127.0.0.1: only this machine may scrape; 0.0.0.0 in a container scraped over its network. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
});

export type Env = z.output<typeof envSchema>;

/** The variables of each sign-in provider: all of them set, or none. */
const PROVIDER_VARIABLES = {
  GitHub: ['GITHUB_CLIENT_ID', 'GITHUB_CLIENT_SECRET'],
  Google: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
  OIDC: ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_NAME'],
} as const satisfies Record<string, readonly (keyof Env)[]>;

/** What is wrong with the sign-in providers' variables: half-configured ones, plain http in production. */
export function providerEnvProblems(env: Env): string[] {
  const problems: string[] = [];
  let anyOn = false;
  for (const [provider, names] of Object.entries(PROVIDER_VARIABLES)) {
    const missing = names.filter((name) => env[name] === undefined);
    if (missing.length === 0) anyOn = true;
    else if (missing.length < names.length)
      problems.push(
        `${missing.join(', ')}: ${provider} sign-in needs ${names.join(', ')} (set all of them, or none)`,
      );
  }
  if (env.NODE_ENV === 'production' && anyOn) {
    if (!env.API_PUBLIC_URL)
      problems.push(
        "API_PUBLIC_URL: must be set in production when a sign-in provider is on (the providers' redirect URI starts with it)",
      );
    for (const name of [
      'GITHUB_BASE_URL',
      'GITHUB_API_URL',
      'GOOGLE_ISSUER',
      'OIDC_ISSUER',
    ] as const) {
      if (env[name]?.startsWith('http:')) problems.push(`${name}: must be https in production`);
    }
  }
  return problems;
}
