import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@repo/embedded-postgres';
import { freePort } from '@repo/test-support';
import { type TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the run's PostgreSQL; each test file creates its own database on it. */
    postgresAdminUrl: string;
  }
}

/** One real PostgreSQL for the whole run: DATABASE_URL when given, else an embedded cluster. */
export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('postgresAdminUrl', external);
    return;
  }
  // Under the system temp dir: reachable by the postgres user when the tests run as root.
  const dir = await mkdtemp(join(tmpdir(), 'api-test-pg-'));
  await chmod(dir, 0o755);
  const cluster = await startEmbeddedPostgres({
    dir: join(dir, 'data'),
    port: await freePort(),
    database: 'postgres',
  });
  project.provide('postgresAdminUrl', cluster.url);
  return async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
