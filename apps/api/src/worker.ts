import { loadConfig } from './core/config/load-config.js';
import { startTracing } from './core/telemetry/tracing.js';

/** The job worker as a process of its own (`pnpm --filter @repo/api worker`): no HTTP server. */
try {
  const config = loadConfig();
  const tracing = await startTracing(config);
  // As in main.ts: the app is imported once tracing is on.
  const { runWorker } = await import('./worker-process.js');
  await runWorker(config, tracing);
} catch (error) {
  console.error(error);
  process.exit(1);
}
