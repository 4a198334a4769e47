import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../src/core/database/data-source.js';
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
export const migrateTestDatabase = (url: string) => migrate(url, migrations);
