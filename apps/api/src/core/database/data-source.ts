import { join } from 'node:path';
import { type DataSourceOptions } from 'typeorm';
import { migrations } from './migrations/index.js';

/**
 * TypeORM settings shared by the app and the migration CLI. The schema only ever changes through
 * migrations (never `synchronize`); the list is explicit so that every runtime (node, vitest,
 * the compiled build) loads the same files.
 */
export function dataSourceOptions(url: string): DataSourceOptions {
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

/** Entity files, for the CLI, which has no Nest module graph to collect them from. */
export const entityGlob = join(import.meta.dirname, '..', '..', '**', '*.entity.{ts,js}');
