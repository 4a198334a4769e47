import { DEV_SECRET_MARKER, type Env, envSchema, providerEnvProblems } from './env.schema.js';

/** Thrown when the environment is invalid; its message lists every problem at once. */
export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid environment (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSee .env.example for every variable, its default and its meaning.',
    );
    this.name = 'EnvError';
  }
}

const MIN_SECRET_BYTES = 32;

/** What production must not run with: dev defaults and weak secrets. */
function productionProblems(raw: Record<string, string | undefined>, env: Env): string[] {
  const problems: string[] = [];
  const secret = env.JWT_ACCESS_SECRET;
  if (!raw.JWT_ACCESS_SECRET || secret.includes(DEV_SECRET_MARKER)) {
    problems.push('JWT_ACCESS_SECRET: must be set in production (the dev default is refused)');
  } else if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    problems.push(
      `JWT_ACCESS_SECRET: must be at least ${MIN_SECRET_BYTES} bytes in production (generate one with: openssl rand -base64 48)`,
    );
  }
  const dataSecret = env.DATA_ENCRYPTION_SECRET;
  if (!raw.DATA_ENCRYPTION_SECRET || dataSecret.includes(DEV_SECRET_MARKER)) {
    problems.push('DATA_ENCRYPTION_SECRET: must be set in production (the dev default is refused)');
  } else if (Buffer.byteLength(dataSecret) < MIN_SECRET_BYTES) {
    problems.push(
      `DATA_ENCRYPTION_SECRET: must be at least ${MIN_SECRET_BYTES} bytes in production`,
    );
  }
  if (!raw.DATABASE_URL) {
    problems.push('DATABASE_URL: must be set in production (the embedded PostgreSQL is for dev)');
  }
  if (!raw.CORS_ORIGINS) {
    problems.push('CORS_ORIGINS: must be set in production to the exact origins of your web app');
  }
  if (!raw.WEB_ORIGIN) {
    problems.push('WEB_ORIGIN: must be set in production (links in emails point to it)');
  }
  if (!raw.SMTP_URL) {
    problems.push(
      'SMTP_URL: must be set in production, or no email is sent (the outbox table is a dev mailbox)',
    );
  }
  return problems;
}

/** Parses and checks the process environment; throws one EnvError listing every problem. */
export function parseEnv(raw: Record<string, string | undefined> = process.env): Env {
  // Empty strings count as unset, as in most .env tooling.
  const given = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = envSchema.safeParse(given);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`),
    );
  }
  const env = result.data;
  if (env.COOKIE_SAMESITE === 'none' && env.COOKIE_SECURE === false) {
    throw new EnvError([
      'COOKIE_SAMESITE: "none" needs Secure cookies: drop COOKIE_SECURE=false (browsers refuse the cookie otherwise)',
    ]);
  }
  const providerProblems = providerEnvProblems(env);
  if (providerProblems.length > 0) throw new EnvError(providerProblems);
  if (env.NODE_ENV === 'production') {
    const problems = productionProblems(given, env);
    if (problems.length > 0) throw new EnvError(problems);
  }
  return env;
}
