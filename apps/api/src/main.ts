import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { pino } from 'pino';
import { AppModule } from './app.module.js';
import { APP_OPTIONS, configureApp, createAdapter } from './app.setup.js';
import { Config } from './core/config/config.js';
import { loadDotEnv } from './core/config/dotenv.js';
import { EnvError, parseEnv } from './core/config/env.js';
import { resolveDatabase } from './core/database/database.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;

function loadConfig(): Config {
  try {
    loadDotEnv();
    return new Config(parseEnv());
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function bootstrap() {
  const config = loadConfig();
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

  // Close in order: stop taking requests and finish in-flight ones, close the pool, then the database.
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    bootLogger.info(`${signal} received: shutting down`);
    setTimeout(() => {
      bootLogger.error('Shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    app
      .close()
      .finally(() => database.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          bootLogger.error({ err: error }, 'Shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
