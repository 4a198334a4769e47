import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** The stack scripts/run.sh started, as it describes it in the environment. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through \`pnpm test:compose\``);
  return value;
}

export const stack = {
  webUrl: required('COMPOSE_WEB_URL'),
  apiUrl: `${required('COMPOSE_API_URL')}/api/v1`,
  wsUrl: `${required('COMPOSE_API_URL').replace(/^http/, 'ws')}/ws`,
  mailUrl: required('COMPOSE_MAIL_URL'),
  /** The `docker compose` arguments that name the stack's files and project. */
  composeArgs: required('COMPOSE_ARGS').split(' '),
};

const run = promisify(execFile);

export async function docker(...args: string[]): Promise<string> {
  return (await run('docker', args, { maxBuffer: 16 * 1024 * 1024 })).stdout.trim();
}

const compose = (...args: string[]) => docker('compose', ...stack.composeArgs, ...args);

/** The container of a service (stopped ones included). */
export async function containerOf(service: string): Promise<string> {
  const id = await compose('ps', '--all', '--quiet', service);
  if (!id) throw new Error(`no container for ${service}`);
  return id;
}

export interface ContainerState {
  Status: string;
  ExitCode: number;
  Health?: { Status: string };
}

export async function stateOf(service: string): Promise<ContainerState> {
  return JSON.parse(
    await docker('inspect', '--format', '{{json .State}}', await containerOf(service)),
  ) as ContainerState;
}

/**
 * An API replica as the host reaches it directly, past nginx (its address on the stack's
 * network): its API port, or another of its ports (metrics).
 */
export async function replicaUrl(service: string, port = 4000): Promise<string> {
  const ip = await docker(
    'inspect',
    '--format',
    '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}',
    await containerOf(service),
  );
  return `http://${ip.split(' ')[0]}:${port}`;
}

/** Resolves once the service's container reports healthy (polled, as `up --wait` does). */
export async function healthy(service: string, timeoutMs = 90_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const state = await stateOf(service);
    if (state.Health?.Status === 'healthy') return;
    if (Date.now() > deadline)
      throw new Error(`${service} not healthy within ${timeoutMs} ms: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
