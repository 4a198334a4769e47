import { Logger, runMigrations } from 'graphile-worker';

/**
 * Installs or updates the job engine's schema (graphile_worker). Safe to run from several
 * processes at once. Outside production the API runs it at start, beside its own migrations;
 * `pnpm db:migrate` (the production migrate job) runs it too.
 */
export async function installJobSchema(connectionString: string, warn: (message: string) => void) {
  await runMigrations({
    connectionString,
    logger: new Logger(() => (level, message) => {
      if (level === 'error' || level === 'warning') warn(message);
    }),
  });
}
