import { Logger } from 'graphile-worker';
import { type PinoLogger } from 'nestjs-pino';

const LEVELS = { error: 'error', warning: 'warn', info: 'info', debug: 'debug' } as const;

/**
 * The engine's own log lines (starting, listening, cron, connection trouble), in the API's log.
 * Its lines about a job's outcome carry the job with its payload and error: those are dropped,
 * and JobWorker logs each failure itself, without personal data.
 */
export const engineLogger = (logger: PinoLogger) =>
  new Logger((scope) => (level, message, meta) => {
    if (meta && ('failure' in meta || 'success' in meta || 'job' in meta)) return;
    logger[LEVELS[level]](
      { component: 'jobs', ...(scope.label ? { label: scope.label } : {}) },
      message,
    );
  });
