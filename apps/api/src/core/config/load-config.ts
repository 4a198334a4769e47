import { Config } from './config.js';
import { loadDotEnv } from './dotenv.js';
import { EnvError, parseEnv } from './env.js';

/** The validated settings of a process (`.env` below the real environment); exits on an error. */
export function loadConfig(): Config {
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
