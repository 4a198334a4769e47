import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { inject } from 'vitest';
import { dataSourceOptions } from '../../src/core/database/data-source.js';
import { migrations } from '../../src/migrations.gen.js';

const withAdmin = async (fn: (client: pg.Client) => Promise<unknown>, adminUrl: string) => {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
};

/** A fresh, empty database on the run's cluster; migrations are applied by the app on start. */
export async function createTestDatabase(adminUrl = inject('postgresAdminUrl')) {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`), adminUrl);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), adminUrl),
  };
}

/** Applies the app's migrations (the job engine's schema included), as the production migrate job does. */
export async function migrateTestDatabase(url: string) {
  const migrator = new DataSource(dataSourceOptions(url, migrations));
  await migrator.initialize();
  try {
    await migrator.runMigrations();
  } finally {
    await migrator.destroy();
  }
}
