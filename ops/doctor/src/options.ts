import { DEMO_USER } from '@repo/test-support';
import { type DoctorSetup } from './model.js';

const DEV_SECRET_MARKER = 'dev-only-insecure';

export interface CliOptions {
  api?: string;
  ws?: string;
  origin?: string[];
  stack?: boolean;
  user?: string;
  password?: string;
  timeout?: string;
  'idle-seconds'?: string;
  'no-idle'?: boolean;
}

const split = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Variables production must not run with as they are (the API refuses them). */
function devDefaults(env: Record<string, string | undefined>): string[] {
  const weak = (name: string) => !env[name] || env[name].includes(DEV_SECRET_MARKER);
  return [
    ...['JWT_ACCESS_SECRET', 'DATA_ENCRYPTION_SECRET'].filter(weak),
    ...['DATABASE_URL', 'CORS_ORIGINS', 'WEB_ORIGIN', 'SMTP_URL'].filter((name) => !env[name]),
  ];
}

/**
 * What to check, from the command line and the environment (.env included):
 * - no flags: the dev setup (`pnpm dev`), as the apps read their configuration;
 * - --stack: the production topology on this machine (`pnpm stack`, docker-compose.local.yml);
 * - --api URL --origin URL: any deployment, e.g. a staging API from a laptop (no local config).
 */
export function setupFrom(
  options: CliOptions,
  env: Record<string, string | undefined>,
): DoctorSetup {
  const common = {
    timeoutMs: Number(options.timeout ?? 5_000),
    idleMs: options['no-idle']
      ? (false as const)
      : options['idle-seconds']
        ? Number(options['idle-seconds']) * 1000
        : ('heartbeat' as const),
  };
  const given =
    options.user && options.password
      ? { email: options.user, password: options.password }
      : undefined;
  const cookie = {
    cookieSameSite: env.COOKIE_SAMESITE ?? 'lax',
    ...(env.COOKIE_SECURE ? { cookieSecure: /^(true|1|yes)$/.test(env.COOKIE_SECURE) } : {}),
  };

  if (options.api) {
    const api = options.api.replace(/\/+$/, '');
    return {
      ...common,
      apiUrl: api,
      wsUrl: options.ws ?? `${new URL(api).origin.replace(/^http/, 'ws')}/ws`,
      origins: options.origin?.length
        ? options.origin
        : [env.WEB_ORIGIN ?? 'http://localhost:3000'],
      ...(given ? { credentials: given } : {}),
    };
  }
  if (options.stack) {
    const web = `http://localhost:${env.NGINX_WEB_PORT ?? 8080}`;
    const api = `http://localhost:${env.NGINX_API_PORT ?? 8081}`;
    return {
      ...common,
      apiUrl: `${api}/api/v1`,
      wsUrl: `${api.replace('http', 'ws')}/ws`,
      origins: options.origin?.length ? options.origin : [web],
      // What `pnpm stack` gives its API processes.
      config: { corsOrigins: [web], nodeEnv: 'development', ...cookie },
      credentials: given ?? { ...DEMO_USER, demo: true },
    };
  }
  const corsOrigins = split(env.CORS_ORIGINS) ?? ['http://localhost:3000'];
  return {
    ...common,
    apiUrl: (env.NEXT_PUBLIC_API_URL ?? 'http://localhost:4000/api/v1').replace(/\/+$/, ''),
    wsUrl: env.NEXT_PUBLIC_WS_URL ?? 'ws://localhost:4000/ws',
    origins: options.origin?.length ? options.origin : [env.WEB_ORIGIN ?? 'http://localhost:3000'],
    config: {
      corsOrigins,
      nodeEnv: env.NODE_ENV ?? 'development',
      devDefaults: devDefaults(env),
      ...cookie,
    },
    credentials: given ?? { ...DEMO_USER, demo: true },
  };
}
