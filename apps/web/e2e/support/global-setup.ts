import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@repo/test-support';
import { type TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    apiPort: number;
    webPort: number;
  }
}

export const WEB_DIR = join(import.meta.dirname, '..', '..');
export const E2E_DIST_DIR = '.next-e2e';
export const NEXT_BIN = join(WEB_DIR, 'node_modules', 'next', 'dist', 'bin', 'next');

/** The public variables a build of the web app is compiled with, for the API on `apiPort`. */
export const publicEnv = (apiPort: number) => ({
  NEXT_PUBLIC_API_URL: `http://localhost:${apiPort}/api/v1`,
  NEXT_PUBLIC_WS_URL: `ws://localhost:${apiPort}/ws`,
});

/**
 * Picks the ports of this run and builds the web app against that API port (NEXT_PUBLIC_* values
 * are compiled in). Each test file then starts its own API and web server on these ports.
 */
export default async function setup(project: TestProject) {
  const apiPort = await freePort();
  const webPort = await freePort();
  execFileSync(process.execPath, [NEXT_BIN, 'build'], {
    cwd: WEB_DIR,
    stdio: 'inherit',
    env: {
      ...process.env,
      NEXT_DIST_DIR: E2E_DIST_DIR,
      NEXT_TELEMETRY_DISABLED: '1',
      ...publicEnv(apiPort),
    },
  });
  project.provide('apiPort', apiPort);
  project.provide('webPort', webPort);
}
