import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { AppModule } from './app.module.js';
import { Config } from './core/config/config.js';
import { type Env } from './core/config/env.schema.js';
import { type Tracing } from './core/telemetry/tracing.js';
import { exitOnSignal, SHUTDOWN_MARGIN_MS } from './shutdown.js';

/**
 * Runs the app without its HTTP server, the job worker on, until SIGTERM or SIGINT. It needs
 * DATABASE_URL: the embedded PostgreSQL belongs to the API process (which runs the jobs itself
 * in development).
 */
export async function runWorker(config: Config, tracing: Tracing | undefined) {
  const logger = pino({ level: config.LOG_LEVEL });
  if (!config.DATABASE_URL) {
    throw new Error(
      'The worker process needs DATABASE_URL (the API runs the jobs itself when it is unset).',
    );
  }
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({
      config: new Config({ ...(config as Env), JOBS_WORKER: true }),
      databaseUrl: config.DATABASE_URL,
    }),
    { bufferLogs: true },
  );
  await app.init();
  logger.info('Job worker process ready');

  exitOnSignal(logger, config.JOBS_SHUTDOWN_TIMEOUT_MS + SHUTDOWN_MARGIN_MS, () =>
    app.close().finally(() => tracing?.shutdown()),
  );
}
