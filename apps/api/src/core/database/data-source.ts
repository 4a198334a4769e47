import { join } from 'node:path';
import { DataSource, type DataSourceOptions, type MigrationInterface } from 'typeorm';

/** Migration classes, oldest first. */
export type Migrations = (new () => MigrationInterface)[];

/**
 * TypeORM settings shared by the app and the migration CLI. The schema only ever changes through
 * migrations (never `synchronize`). Their list (src/migrations.gen.ts) is explicit rather than a
 * glob, so that every runtime (node, vitest, the compiled build) loads the same files; the caller
 * passes it in, as core/ imports no feature.
 */
export function dataSourceOptions(url: string, migrations: Migrations): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no uuid-ossp extension needed.
    uuidExtension: 'pgcrypto',
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    extra: { max: 10, connectionTimeoutMillis: 5_000 },
  };
}

/**
 * node-postgres settings that bound every wait on the database at `timeoutMs` (see
 * DATABASE_TIMEOUT_MS): connecting, waiting for a pooled connection, and a statement, cancelled
 * by the server at `timeoutMs` or, when the server does not answer at all (hung, or the network
 * gone), given up by the client shortly after (the connection is then discarded, see
 * TimedOutConnections). TCP keep-alive lets the kernel notice a peer that vanished.
 */
export const boundedWaits = (timeoutMs: number) => ({
  connectionTimeoutMillis: timeoutMs,
  statement_timeout: timeoutMs,
  query_timeout: timeoutMs + 500,
  keepAlive: true,
});

/**
 * Applies the pending migrations on a connection of their own, as the login role of `url` (the
 * owner of the tables): the app's own connections run as the API's role, which may not.
 */
export async function migrate(url: string, migrations: Migrations): Promise<void> {
  const migrator = new DataSource(dataSourceOptions(url, migrations));
  await migrator.initialize();
  try {
    await migrator.runMigrations();
  } finally {
    await migrator.destroy();
  }
}

/** Entity files, for the CLI, which has no Nest module graph to collect them from. */
export const entityGlob = join(import.meta.dirname, '..', '..', '**', '*.entity.{ts,js}');
