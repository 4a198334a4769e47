import { type Logger } from 'pino';

/** What closing a process takes beyond its running jobs' JOBS_SHUTDOWN_TIMEOUT_MS. */
export const SHUTDOWN_MARGIN_MS = 5_000;

/**
 * On SIGINT or SIGTERM (the first one), runs `close` and exits 0, or 1 when it fails or takes
 * longer than `timeoutMs`.
 */
export function exitOnSignal(logger: Logger, timeoutMs: number, close: () => Promise<unknown>) {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info(`${signal} received: shutting down`);
    setTimeout(() => {
      logger.error('Shutdown took too long: exiting');
      process.exit(1);
    }, timeoutMs).unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
