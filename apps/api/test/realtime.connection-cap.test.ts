import { randomUUID } from 'node:crypto';
import { WS_CLOSE } from '@repo/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS, sql } from './support/auth-extras.js';
import {
  isOpen,
  newUser,
  roundTrip,
  socketPool,
  twoInstances,
} from './support/realtime-helpers.js';
import { runJob } from './support/jobs.js';
import { type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';

const CAP = 2;
const HEARTBEAT_MS = 1_000;

/**
 * WS_MAX_CONNECTIONS_PER_USER holds across API instances: the open connections of every
 * instance are leases in realtime_connections, renewed on each heartbeat.
 */
describe('per-user WebSocket cap across two API instances (WS_MAX_CONNECTIONS_PER_USER=2)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let instances: Awaited<ReturnType<typeof twoInstances>>;
  let a: TestApp;
  let b: TestApp;
  const sockets = socketPool();

  beforeAll(async () => {
    database = await createTestDatabase();
    instances = await twoInstances(database.url, {
      ...NO_RATE_LIMITS,
      WS_MAX_CONNECTIONS_PER_USER: String(CAP),
      WS_HEARTBEAT_MS: String(HEARTBEAT_MS),
    });
    ({ a, b } = instances);
  });
  afterEach(() => sockets.terminateAll());
  afterAll(async () => {
    sockets.terminateAll();
    await instances?.close();
    await database?.drop();
  });

  /** A socket of this user on `t`: 'ready', or the close code when it was refused. */
  async function attempt(t: TestApp, accessToken: string): Promise<'ready' | number> {
    const socket = await sockets.open(t);
    socket.send({ type: 'auth', token: accessToken });
    return Promise.race([
      socket.next('ready', undefined, 10_000).then(() => 'ready' as const),
      socket.closed.then(({ code }) => code),
    ]);
  }

  it('refuses a third socket on either instance with 4429 while one is open on each', async () => {
    const alice = await newUser(a);
    const onA = await sockets.authed(a, alice.session.accessToken);
    const onB = await sockets.authed(b, alice.session.accessToken);
    expect(await attempt(a, alice.session.accessToken)).toBe(WS_CLOSE.rateLimited);
    expect(await attempt(b, alice.session.accessToken)).toBe(WS_CLOSE.rateLimited);
    for (const socket of [onA, onB]) {
      await roundTrip(socket);
      expect(isOpen(socket)).toBe(true);
    }

    // A closed socket frees its place, on the other instance too.
    onA.socket.close();
    await expect
      .poll(() => attempt(b, alice.session.accessToken), { timeout: 10_000 })
      .toBe('ready');
  });

  it('lets exactly 2 of 8 sockets opened at once on both instances in', async () => {
    const bob = await newUser(a);
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => attempt(i % 2 ? a : b, bob.session.accessToken)),
    );
    expect(outcomes.filter((o) => o === 'ready')).toHaveLength(CAP);
    expect(outcomes.filter((o) => o === WS_CLOSE.rateLimited)).toHaveLength(8 - CAP);
  });

  it('stops counting the sockets of an instance that died once their lease runs out', async () => {
    const carol = await newUser(a);
    // What a killed instance leaves: its last renewal, never renewed again (a lease lasts three
    // heartbeats).
    // In one statement: the leases end at the same instant, so once a new socket is let in, every
    // one of them has ended (rows written apart would end apart, the last after the check below).
    const deadInstance = randomUUID();
    await sql(
      a,
      `INSERT INTO realtime_connections (id, user_id, instance_id, expires_at)
       SELECT gen_random_uuid(), $1, $2, now() + make_interval(secs => $3)
         FROM generate_series(1, $4)`,
      [carol.userId, deadInstance, (3 * HEARTBEAT_MS) / 1000, CAP],
    );
    expect(await attempt(a, carol.session.accessToken)).toBe(WS_CLOSE.rateLimited);
    await expect
      .poll(() => attempt(b, carol.session.accessToken), { timeout: 15_000, interval: 200 })
      .toBe('ready');
    // The clean-up job deletes them.
    await runJob(a, 'realtime-connections.prune');
    expect(
      await sql(a, 'SELECT count(*)::int AS n FROM realtime_connections WHERE instance_id = $1', [
        deadInstance,
      ]),
    ).toEqual([{ n: 0 }]);
  });

  it('keeps its own sockets counted past their first lease: the heartbeat renews them', async () => {
    const dave = await newUser(a);
    const first = await sockets.authed(a, dave.session.accessToken);
    await sockets.authed(b, dave.session.accessToken);
    const { expiresAt } = (
      await sql<{ expiresAt: Date }>(
        a,
        'SELECT max(expires_at) AS "expiresAt" FROM realtime_connections WHERE user_id = $1',
        [dave.userId],
      )
    )[0]!;
    // Once the first leases would have run out without renewal...
    await expect
      .poll(async () => (await sql<{ now: Date }>(a, 'SELECT now() AS now'))[0]!.now > expiresAt, {
        timeout: 10_000,
        interval: 200,
      })
      .toBe(true);
    // ...the two sockets still count.
    expect(await attempt(b, dave.session.accessToken)).toBe(WS_CLOSE.rateLimited);
    await roundTrip(first);
  });
});
