import { userSchema } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessCache } from '../../src/access/access-cache.js';
import {
  DatabaseListener,
  LISTENER_APPLICATION_NAME,
} from '../../src/core/database/database-listener.js';
import { bearer, get, post } from '../support/auth-client.js';
import { expectProblem, NO_RATE_LIMITS, send, sql } from '../support/auth-extras.js';
import { newUser } from '../support/realtime-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

/*
 * Two API instances on one database, each with its own AccessCache: what one changes, the other
 * stops serving once the change notification arrives (polled), and the one that made the change
 * at once (asserted on the next request).
 */

/** A notification normally takes milliseconds; a busy machine may take far longer. */
const POLL = { timeout: 15_000 };

const me = (t: TestApp, token: string) => get(t, '/users/me', bearer(token));

async function nameOn(t: TestApp, token: string): Promise<string> {
  const res = await me(t, token);
  expect(res.status).toBe(200);
  return userSchema.parse(await res.json()).name;
}

/** The backend pids of this database's listener connections. */
const listenerPids = async (t: TestApp) =>
  (
    await sql<{ pid: number }>(
      t,
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
      [LISTENER_APPLICATION_NAME],
    )
  ).map((row) => row.pid);

describe('the access cache across two API instances', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: TestApp;
  let b: TestApp;
  let listenerOfB: number | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One after the other: both would run the migrations. B's listener is the one A lacks.
    a = await startTestApp({ env: NO_RATE_LIMITS, databaseUrl: database.url });
    const before = await listenerPids(a);
    b = await startTestApp({ env: NO_RATE_LIMITS, databaseUrl: database.url });
    [listenerOfB] = (await listenerPids(b)).filter((pid) => !before.includes(pid));
    expect(listenerOfB).toBeTypeOf('number');
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  it('answers an authenticated request from the cache, without asking the database', async () => {
    const alice = await newUser(a);
    expect(await nameOn(b, alice.session.accessToken)).toBe(alice.session.body.user.name);
    // Renamed with triggers off: no instance hears of it, so only a cache can still serve the old name.
    await sql(
      b,
      `DO $$ BEGIN
         SET LOCAL session_replication_role = replica;
         UPDATE users SET name = 'Unannounced' WHERE id = '${alice.userId}';
       END $$`,
    );
    expect(await nameOn(b, alice.session.accessToken)).toBe(alice.session.body.user.name);
    expect(b.app.get(AccessCache).size).toBeGreaterThan(0);
  });

  it('refuses a session ended on A: on A at once, on B once the event arrives', async () => {
    const alice = await newUser(a);
    const token = alice.session.accessToken;
    expect((await me(b, token)).status).toBe(200);
    expect((await me(a, token)).status).toBe(200);

    const logout = await post(a, '/auth/logout', {}, { cookie: alice.session.cookie });
    expect(logout.status).toBe(204);

    await expectProblem(await me(a, token), 401, 'token_invalid');
    await expect.poll(async () => (await me(b, token)).status, POLL).toBe(401);
  });

  it("refuses at once on B a session ended on A while B's listener is down", async () => {
    const alice = await newUser(a);
    const token = alice.session.accessToken;
    expect((await me(b, token)).status).toBe(200);

    const down = new Promise<void>((resolve) => {
      const stop = b.app.get(DatabaseListener).onStateChange((listening) => {
        if (listening) return;
        stop();
        resolve();
      });
    });
    await sql(a, 'SELECT pg_terminate_backend($1)', [listenerOfB]);
    await down;

    expect((await post(a, '/auth/logout', {}, { cookie: alice.session.cookie })).status).toBe(204);
    await expectProblem(await me(b, token), 401, 'token_invalid');

    // Back up, B serves from its cache again, and hears of changes again.
    await expect.poll(() => b.app.get(DatabaseListener).listening, POLL).toBe(true);
    const bob = await newUser(a);
    expect((await me(b, bob.session.accessToken)).status).toBe(200);
    expect((await post(a, '/auth/logout', {}, { cookie: bob.session.cookie })).status).toBe(204);
    await expect.poll(async () => (await me(b, bob.session.accessToken)).status, POLL).toBe(401);
  });

  it('serves on B a profile change made on A', async () => {
    const alice = await newUser(a);
    const token = alice.session.accessToken;
    expect(await nameOn(b, token)).toBe(alice.session.body.user.name);
    expect(await nameOn(a, token)).toBe(alice.session.body.user.name);

    const renamed = await send(a, 'PATCH', '/users/me', { name: 'Renamed On A' }, bearer(token));
    expect(renamed.status).toBe(200);

    expect(await nameOn(a, token)).toBe('Renamed On A');
    await expect.poll(() => nameOn(b, token), POLL).toBe('Renamed On A');
  });

  it("refuses a deleted user's token everywhere", async () => {
    const alice = await newUser(a);
    const token = alice.session.accessToken;
    expect((await me(a, token)).status).toBe(200);
    expect((await me(b, token)).status).toBe(200);

    expect((await send(a, 'DELETE', '/users/me', undefined, bearer(token))).status).toBe(204);

    await expectProblem(await me(a, token), 401, 'token_invalid');
    await expect.poll(async () => (await me(b, token)).status, POLL).toBe(401);
    await expectProblem(await me(b, token), 401, 'token_invalid');
  });
});
