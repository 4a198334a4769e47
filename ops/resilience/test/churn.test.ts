import { type RealtimeClient } from '@repo/client';
import { NOTES_CHANGED } from '@repo/contracts';
import {
  activeResources,
  collectGarbage,
  connected,
  disposeClients,
  disposeRealtime,
  freePort,
  nextEvent,
  realtimeClient,
  verifiedUser,
} from '@repo/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rssMb, startApi, type TestApi } from './support/api.js';
import { report } from './support/report.js';

/**
 * Churn without leaks: SOAK_WAVES (30) waves of SOAK_CLIENTS (1,000) WebSocket
 * clients connect, authenticate, subscribe to a room, get an event on it and one on their user
 * topic, and leave, while HTTP requests run throughout. After the last wave the API holds what it
 * held after the first: its heap and RSS (after a full GC) within a few percent, no more timers or
 * sockets keeping its event loop alive, and no connection lease left in the database.
 */

const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 1_000);
/**
 * A count of waves, not a duration: a leak grows with the clients served, and a slow machine
 * serves as many, only later. 30,000 clients make a leak of 150 bytes each exceed the heap's slack.
 */
const WAVES = Number(process.env.SOAK_WAVES ?? 30);
/** Sockets connecting at once, as clients arrive (not all in one instant). */
const CONNECT_BATCH = 100;
const ROOM = 'room:soak';
/** Resources of one kind the API may hold beyond the first wave's count (see the test). */
const RESOURCE_SLACK = 50;
/** Conditions are polled; on a busy machine they may take long. */
const POLL = { timeout: 60_000, interval: 250 };

interface Snapshot {
  heapMb: number;
  rssMb: number;
  resources: Record<string, number>;
}

describe('churn: WebSocket clients in waves, with HTTP traffic', () => {
  let api: TestApi;
  let inspectPort: number;
  let user: Awaited<ReturnType<typeof verifiedUser>>;

  beforeAll(async () => {
    inspectPort = await freePort();
    api = await startApi({
      NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}`,
      WS_MAX_CONNECTIONS_PER_USER: String(CLIENTS + 10),
      WS_MESSAGES_PER_10S: '100000',
    });
    user = await verifiedUser(api.apiUrl);
  });
  afterAll(async () => {
    disposeRealtime();
    disposeClients();
    await api?.stop();
  });

  /** The API's connection leases in the database: one per open socket. */
  async function leases(): Promise<number> {
    const client = new pg.Client({ connectionString: api.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM realtime_connections',
      );
      return rows[0]!.n;
    } finally {
      await client.end();
    }
  }

  async function snapshot(): Promise<Snapshot> {
    const heap = await collectGarbage(inspectPort);
    return {
      heapMb: Math.round((heap.usedSize / 1024 / 1024) * 10) / 10,
      rssMb: await rssMb(api.pid),
      resources: await activeResources(inspectPort),
    };
  }

  /** One wave: every client in, both events to every client, every client out. */
  async function wave(): Promise<void> {
    const clients: RealtimeClient[] = [];
    const roomEvents: Promise<unknown>[] = [];
    for (let i = 0; i < CLIENTS; i += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, CLIENTS - i) }, () => {
        const client = realtimeClient(user.client, api.wsUrl);
        roomEvents.push(
          new Promise((resolve) => {
            const off = client.subscribe(ROOM, (event) => {
              off();
              resolve(event);
            });
          }),
        );
        return client;
      });
      await Promise.all(batch.map((client) => connected(client)));
      clients.push(...batch);
    }
    // The room subscriptions are acknowledged after `ready`: publish once the last one is.
    const publisher = clients[0]!;
    await expect
      .poll(async () => {
        await publisher.publish(ROOM, 'wave').catch(() => undefined);
        return Promise.race([
          Promise.all(roomEvents).then(() => true),
          new Promise((resolve) => setTimeout(resolve, 1_000, false)),
        ]);
      }, POLL)
      .toBe(true);

    const noteEvents = clients.map((client) =>
      nextEvent(client, 'event', (e) => e.event === NOTES_CHANGED, 60_000),
    );
    const created = await fetch(`${api.apiUrl}/notes`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${user.accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ title: 'churn' }),
    });
    expect(created.status).toBe(201);
    await Promise.all(noteEvents);

    for (const client of clients) client.dispose();
    await expect.poll(leases, POLL).toBe(0);
  }

  // A wave takes a few seconds, more on a busy machine: more than the suite's default timeout.
  it(
    `leaves nothing behind after ${WAVES} waves of ${CLIENTS} clients`,
    { timeout: (WAVES * 10 + 240) * 1000 },
    async () => {
      let running = true;
      const statuses: Record<string, number> = {};
      const traffic = Array.from({ length: 4 }, async (_, i) => {
        for (let n = i; running; n++) {
          const path = n % 2 ? '/users/me' : '/notes?pageSize=5';
          const res = await fetch(`${api.apiUrl}${path}`, {
            headers: { authorization: `Bearer ${user.accessToken}` },
          }).catch((error: Error) => ({ status: `error: ${error.message}` }));
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if ('body' in res) await res.body?.cancel();
        }
      });

      const started = performance.now();
      await wave();
      const first = await snapshot();
      for (let waves = 1; waves < WAVES; waves++) await wave();
      running = false;
      await Promise.all(traffic);
      const last = await snapshot();

      report(
        `churn: ${WAVES} waves of ${CLIENTS} clients in ${Math.round((performance.now() - started) / 1000)} s; ` +
          `HTTP ${JSON.stringify(statuses)}; after the first wave heap ${first.heapMb} MB, RSS ${first.rssMb} MB, ` +
          `${JSON.stringify(first.resources)}; after the last heap ${last.heapMb} MB, RSS ${last.rssMb} MB, ` +
          `${JSON.stringify(last.resources)}`,
      );
      expect(Object.keys(statuses)).toEqual(['200']);
      expect(last.heapMb).toBeLessThanOrEqual(first.heapMb * 1.05);
      expect(last.rssMb).toBeLessThanOrEqual(first.rssMb * 1.1);
      // Timers, sockets, …: a leak would leave one or more per client, thousands per wave. The
      // slack is for what legitimately varies: pooled database connections, keep-alive sockets.
      for (const [kind, count] of Object.entries(last.resources)) {
        const allowed = (first.resources[kind] ?? 0) + RESOURCE_SLACK;
        expect({ kind, count }).toEqual({ kind, count: Math.min(count, allowed) });
      }
    },
  );
});
