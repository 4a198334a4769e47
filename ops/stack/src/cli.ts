/** `pnpm stack`: the production topology natively, without Docker (see USAGE). */
/* eslint-disable no-console -- a command-line tool: the console is its output */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { styleText } from 'node:util';
import { commandLine, DEMO_USER, positiveNumber } from '@repo/test-support';
import { findNginx } from './nginx.js';
import { NEXT_BIN, ROOT, WEB_DIR } from './paths.js';
import { startStack } from './stack.js';

/** The web build of the stack, apart from `pnpm build`'s (its API URL is compiled in). */
const WEB_DIST_DIR = '.next-stack';
const USAGE = `
The production topology natively, without Docker: builds the apps, then starts PostgreSQL
(embedded unless DATABASE_URL is set), the migrations, the API processes with CORS_MODE=proxy,
the built web app and nginx in front. Ctrl-C stops everything.

Usage:
  pnpm stack [--no-build] [--replicas N]

Options:
  --no-build      start what the last build made
  --replicas N    API processes behind nginx (default 2)
  -h, --help      this text
Ports: NGINX_WEB_PORT (8080) and NGINX_API_PORT (8081), from .env or the environment.
`;
const COLORS = ['cyan', 'magenta', 'yellow', 'green', 'blue'] as const;

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

async function main() {
  const values = commandLine(USAGE, {
    'no-build': { type: 'boolean', default: false },
    replicas: { type: 'string', default: '2' },
  });
  const replicas = positiveNumber(values.replicas, 2, 'replicas');
  const envFile = join(ROOT, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  findNginx(); // fails now, with how to install it, rather than after the build

  const webPort = Number(process.env.NGINX_WEB_PORT ?? 8080);
  const apiPort = Number(process.env.NGINX_API_PORT ?? 8081);
  for (const [port, name] of [
    [webPort, 'NGINX_WEB_PORT'],
    [apiPort, 'NGINX_API_PORT'],
  ] as const) {
    if (!(await portIsFree(port)))
      throw new Error(`Port ${port} is in use: stop what listens there or set ${name} in .env.`);
  }
  const apiUrl = `http://localhost:${apiPort}/api/v1`;

  if (!values['no-build']) {
    console.log(styleText('bold', '==> Building the API and the web app for the stack'));
    execFileSync(
      'pnpm',
      ['exec', 'turbo', 'run', 'build', '--filter=@repo/api', '--filter=@repo/web^...'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    execFileSync(process.execPath, [NEXT_BIN, 'build'], {
      cwd: WEB_DIR,
      stdio: 'inherit',
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_DIST_DIR: WEB_DIST_DIR,
        NEXT_TELEMETRY_DISABLED: '1',
        NEXT_PUBLIC_API_URL: apiUrl,
        NEXT_PUBLIC_WS_URL: `ws://localhost:${apiPort}/ws`,
      },
    });
  }

  console.log(
    styleText('bold', '==> Starting PostgreSQL, the API processes, the web app and nginx'),
  );
  const colors = new Map<string, (typeof COLORS)[number]>();
  const stack = await startStack({
    webPort,
    apiPort,
    replicas,
    apiFrom: 'dist',
    seedDemoUser: true,
    webDistDir: WEB_DIST_DIR,
    databaseUrl: process.env.DATABASE_URL || undefined,
    pgDir: join(ROOT, '.data', 'stack-postgres'),
    sink: (name, line) => {
      // PostgreSQL's routine LOG lines would drown the rest.
      if (name === 'postgres' && !/WARNING|ERROR|FATAL|PANIC/.test(line)) return;
      if (!colors.has(name)) colors.set(name, COLORS[colors.size % COLORS.length]!);
      console.log(`${styleText(colors.get(name)!, name.padEnd(8))} ${line}`);
    },
  });

  console.log(`
${styleText('bold', 'The stack is up')} (nginx in front of ${stack.replicas.length} API processes):
  web        ${stack.webUrl}
  API        ${stack.apiUrl}   (docs: http://localhost:${apiPort}/api/docs)
  WebSocket  ${stack.wsUrl}
  nginx      config and access log in ${stack.nginxDir}
Log in as ${DEMO_USER.email} / ${DEMO_USER.password}, or register: emails go to the API log (dev
outbox). Check the whole path with \`pnpm run doctor --stack\`. Ctrl-C stops everything.
`);

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the stack…');
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(styleText('red', error instanceof Error ? error.message : String(error)));
  process.exit(1);
});
