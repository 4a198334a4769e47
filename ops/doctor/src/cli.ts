/**
 * `pnpm run doctor` (`pnpm doctor` is pnpm's own command): checks every step from the web app to
 * the API and names the fix of each problem.
 *   pnpm run doctor                              the dev setup (reads .env)
 *   pnpm run doctor --stack                      the production topology here (pnpm stack / compose)
 *   pnpm run doctor --api URL --origin URL ...   any deployment
 * Options: --ws URL, --user EMAIL --password P, --json, --timeout MS, --idle-seconds N, --no-idle.
 * Exit code 1 when a check fails.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runDoctor } from './doctor.js';
import { setupFrom } from './options.js';
import { formatReport } from './report.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

const { values } = parseArgs({
  options: {
    api: { type: 'string' },
    ws: { type: 'string' },
    origin: { type: 'string', multiple: true },
    stack: { type: 'boolean' },
    user: { type: 'string' },
    password: { type: 'string' },
    json: { type: 'boolean' },
    timeout: { type: 'string' },
    'idle-seconds': { type: 'string' },
    'no-idle': { type: 'boolean' },
  },
});

const envFile = join(ROOT, '.env');
if (existsSync(envFile) && !values.api) process.loadEnvFile(envFile);
const report = await runDoctor(setupFrom(values, process.env));
process.stdout.write(
  values.json
    ? `${JSON.stringify({ ...report, setup: { ...report.setup, credentials: undefined } }, null, 2)}\n`
    : `${formatReport(report, process.stdout.isTTY && !process.env.NO_COLOR)}\n`,
);
process.exitCode = report.ok ? 0 : 1;
