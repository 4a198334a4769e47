import { loadConfig } from './core/config/load-config.js';
import { startTracing } from './core/telemetry/tracing.js';

try {
  const config = loadConfig();
  const tracing = await startTracing(config);
  // The app is imported once tracing is on: its instrumentation patches `pg` as it loads.
  const { serve } = await import('./server.js');
  await serve(config, tracing);
} catch (error) {
  console.error(error);
  process.exit(1);
}
