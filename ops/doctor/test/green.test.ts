import { nginxForTests } from '@repo/stack';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runDoctor } from '../src/index.js';
import { expectAllGreen } from './support/expect-report.js';
import {
  type Database,
  doctorSetup,
  HEARTBEAT_MS,
  stackSetup,
  startDatabase,
  startDevApi,
  verifiedUser,
  withStack,
} from './support/setups.js';

/**
 * The other half of the catalogue: correct setups get no finding at all, every check run (a
 * verified user for the cookies and the WebSocket, an idle socket kept past the heartbeat).
 */
const WEB = 'http://localhost:3000';
/** Twice the server's ping interval: the socket must see pings and stay open. */
const IDLE_MS = 2 * HEARTBEAT_MS;

let db: Database;
beforeAll(async () => {
  db = await startDatabase();
});
afterAll(() => db?.stop());

describe('a correct setup comes out all green', () => {
  it('dev: the API alone, answering CORS itself (CORS_MODE=app)', async () => {
    const api = await startDevApi(db.url, { CORS_ORIGINS: WEB });
    try {
      const report = await runDoctor(
        doctorSetup({
          apiUrl: api.apiUrl,
          wsUrl: api.wsUrl,
          origins: [WEB],
          config: {
            corsOrigins: [WEB],
            nodeEnv: 'development',
            cookieSameSite: 'lax',
            devDefaults: [],
          },
          credentials: await verifiedUser(api.apiUrl),
          idleMs: IDLE_MS,
        }),
      );
      expectAllGreen(report);
    } finally {
      await api.stop();
    }
  });

  it.runIf(nginxForTests(['the doctor: a correct stack is all green']))(
    'stack: nginx answering CORS in front of two API processes (CORS_MODE=proxy)',
    async () => {
      await withStack(db.url, { replicas: 2 }, async (stack) => {
        const report = await runDoctor(
          stackSetup(stack, await verifiedUser(stack.apiUrl), { idleMs: IDLE_MS }),
        );
        expectAllGreen(report);
      });
    },
  );
});
