import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { pino } from 'pino';
import { AppModule } from './app.module.js';
import { APP_OPTIONS, configureApp, createAdapter } from './app.setup.js';
import { type Config } from './core/config/config.js';
import { resolveDatabase } from './core/database/database.js';
import { type Tracing } from './core/telemetry/tracing.js';
import { exitOnSignal, SHUTDOWN_MARGIN_MS } from './shutdown.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Starts the API: its database, the app, the HTTP server, and the shutdown on a signal. */
export async function serve(config: Config, tracing: Tracing | undefined) {
  const bootLogger = pino({
    level: config.LOG_LEVEL,
    ...((config.LOG_FORMAT ?? (config.isProduction ? 'json' : 'pretty')) === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } }
      : {}),
  });
  const database = await resolveDatabase(config, bootLogger);

  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot({ config, databaseUrl: database.url }),
      createAdapter(config),
      APP_OPTIONS,
    );
    await configureApp(app, config);
    await app.listen({ host: config.API_HOST, port: config.API_PORT });
  } catch (error) {
    await database.stop();
    throw error;
  }

  const url = `http://localhost:${config.API_PORT}`;
  bootLogger.info(`API ready: ${url}/api/v1  (docs: ${url}/api/docs)`);

  // Close in order: stop taking requests and finish in-flight ones (and running jobs, within
  // JOBS_SHUTDOWN_TIMEOUT_MS), close the pool, then the database; last, send the spans still
  // buffered.
  exitOnSignal(
    bootLogger,
    Math.max(SHUTDOWN_TIMEOUT_MS, config.JOBS_SHUTDOWN_TIMEOUT_MS + SHUTDOWN_MARGIN_MS),
    () =>
      app
        .close()
        .finally(() => database.stop())
        .finally(() => tracing?.shutdown()),
  );
}
