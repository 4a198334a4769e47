import { type Logger } from 'pino';
import { type Config } from '../config/config.js';

export interface Database {
  url: string;
  /** Stops the embedded cluster; a no-op for an external DATABASE_URL. */
  stop(): Promise<void>;
  embedded: boolean;
}

/** The embedded PostgreSQL is a dev dependency: production images do not contain it. */
async function loadEmbeddedPostgres() {
  try {
    return await import('@repo/embedded-postgres');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(
      'DATABASE_URL is unset and the embedded PostgreSQL (a dev dependency) is not installed here: set DATABASE_URL.',
      { cause: error },
    );
  }
}

/** DATABASE_URL when set; otherwise an embedded PostgreSQL in .data/postgres (dev only). */
export async function resolveDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.DATABASE_URL) {
    return { url: config.DATABASE_URL, stop: () => Promise.resolve(), embedded: false };
  }
  const { defaultDataDir, startEmbeddedPostgres } = await loadEmbeddedPostgres();
  const dir = config.EMBEDDED_PG_DIR ?? defaultDataDir();
  logger.info(
    { dir, port: config.EMBEDDED_PG_PORT },
    'Starting embedded PostgreSQL (DATABASE_URL is unset)',
  );
  const cluster = await startEmbeddedPostgres({
    dir,
    port: config.EMBEDDED_PG_PORT,
    database: 'app',
    log: (line) => logger.debug({ component: 'postgres' }, line),
    notice: (message) => logger.warn(message),
  });
  return { url: cluster.url, stop: () => cluster.stop(), embedded: true };
}
