import { Config } from './core/config/config.js';
import { loadDotEnv } from './core/config/dotenv.js';
import { EnvError, parseEnv } from './core/config/env.js';
import { startTracing } from './core/telemetry/tracing.js';

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

try {
  const config = loadConfig();
  const tracing = await startTracing(config);
  // The app is imported once tracing is on: its instrumentation patches \`pg\` as it loads.
  const { serve } = await import('./server.js');
  await serve(config, tracing);
} catch (error) {
  console.error(error);
  process.exit(1);
}
