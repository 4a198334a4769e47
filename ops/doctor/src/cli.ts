/**
 * `pnpm run doctor` (`pnpm doctor` is pnpm's own command): checks every step from the web app to
 * the API and names the fix of each problem. Exit code 1 when a check fails.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine, positiveNumber } from '@repo/test-support';
import { runDoctor } from './doctor.js';
import { setupFrom } from './options.js';
import { formatReport } from './report.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

const USAGE = `
Checks every step from the web app to the API and names the fix of each problem.

Usage:
  pnpm run doctor                              the dev setup (reads .env)
  pnpm run doctor --stack                      the production topology here (pnpm stack / compose)
  pnpm run doctor --api URL --origin URL ...   any deployment

Options:
  --api URL             the API base URL, e.g. https://api.example.com/api/v1
  --ws URL              the WebSocket URL (default: the API origin's /ws)
  --origin URL          a web origin that calls the API (repeat for several)
  --stack               check the stack (nginx in front) instead of the dev setup
  --user EMAIL --password P   log in as this user (default: a new throwaway account)
  --json                the report as JSON
  --timeout MS          the timeout of each request (default 5000)
  --idle-seconds N      how long to hold an idle WebSocket open (default: one heartbeat)
  --no-idle             skip the idle WebSocket check
  -h, --help            this text
Exit code 1 when a check fails, 2 on a wrong argument.
`;

const values = commandLine(USAGE, {
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
});

// Checked here, so a typo is one line rather than a NaN deep in a check.
if (values.timeout !== undefined) positiveNumber(values.timeout, 0, 'timeout');
if (values['idle-seconds'] !== undefined) positiveNumber(values['idle-seconds'], 0, 'idle-seconds');

const envFile = join(ROOT, '.env');
if (existsSync(envFile) && !values.api) process.loadEnvFile(envFile);
const report = await runDoctor(setupFrom(values, process.env));
process.stdout.write(
  values.json
    ? `${JSON.stringify({ ...report, setup: { ...report.setup, credentials: undefined } }, null, 2)}\n`
    : `${formatReport(report, process.stdout.isTTY && !process.env.NO_COLOR)}\n`,
);
process.exitCode = report.ok ? 0 : 1;
