import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@repo/test-support';
import {
  apiProcess,
  devApiEnv,
  NO_RATE_LIMITS,
  startPostgres,
  startStack,
} from '../../src/index.js';

/** One way of serving the API to a browser on another origin. */
export interface Topology {
  /** The API as the browser reaches it, prefix included. */
  apiUrl: string;
  wsUrl: string;
  /** The API processes themselves, bypassing any proxy. */
  apiProcessUrls: string[];
  /** Whether the API processes answer CORS themselves (seen when calling them directly). */
  apiAnswersCors: boolean;
  stop(): Promise<void>;
}

/** `pnpm dev`: one API process answering CORS itself (CORS_MODE=app). */
export async function devTopology(origins: string[]): Promise<Topology> {
  const dir = await mkdtemp(join(tmpdir(), 'dev-topology-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as the postgres user
  const cluster = await startPostgres(join(dir, 'postgres'));
  const api = apiProcess(
    'api',
    await freePort(),
    'source',
    devApiEnv(cluster.url, { CORS_ORIGINS: origins.join(',') }),
  );
  try {
    await api.start();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return {
    apiUrl: `${api.url}/api/v1`,
    wsUrl: `${api.url.replace('http', 'ws')}/ws`,
    apiProcessUrls: [api.url],
    apiAnswersCors: true,
    stop: async () => {
      await api.service.stop();
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `pnpm stack`: nginx answers CORS in front of two API processes with CORS_MODE=proxy — or, with
 * `apiCorsMode: 'app'`, in front of APIs wrongly answering it too (nginx hides their headers).
 */
export async function proxyTopology(
  origins: string[],
  apiCorsMode: 'proxy' | 'app' = 'proxy',
): Promise<Topology> {
  const stack = await startStack({
    apiFrom: 'source',
    apiEnv: {
      ...NO_RATE_LIMITS,
      CORS_MODE: apiCorsMode,
      CORS_ORIGINS: origins.join(','),
      LOG_LEVEL: 'warn',
    },
    nginxEnv: { CORS_ORIGINS: origins.join(',') },
  });
  return {
    apiUrl: stack.apiUrl,
    wsUrl: stack.wsUrl,
    apiProcessUrls: stack.replicas.map((r) => r.url),
    apiAnswersCors: apiCorsMode === 'app',
    stop: () => stack.stop(),
  };
}
