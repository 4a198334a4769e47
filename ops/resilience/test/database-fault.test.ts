import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { disposeClients, disposeRealtime } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from './support/api.js';
import { parseProblem } from './support/problem.js';
import { report } from './support/report.js';
import { type WatchedUser, watchedUser } from './support/watched-user.js';

/**
 * PostgreSQL stopped under a steady load of GETs, then started again: while it is down, every
 * request that needs it gets a quick 503 problem (no hang, no 500, no 401 that would log users
 * out), liveness stays 200 and the process lives; once it is back, the API serves again within
 * 5 s without a restart, and its realtime listener (LISTEN/NOTIFY) delivers other instances'
 * events again.
 */

/** The longest a request may take while the database is down. */
const QUICK_MS = 2_500;
const RECOVERY_MS = 5_000;
const OUTAGE_MS = 3_000;
const WORKERS = 4;

const PROBES = [
  { path: '/users/me', needsDb: true },
  { path: '/notes?pageSize=5', needsDb: true },
  { path: '/health', needsDb: false },
  { path: '/health/ready', needsDb: true },
] as const;

interface Sample {
  path: string;
  /** Milliseconds since the load started, when the request was sent. */
  at: number;
  ms: number;
  /** The HTTP status, or what went wrong in transport (`error: …`). */
  status: number | string;
  /** For a 503: what is wrong with its problem details, if anything. */
  wrong?: string;
  code?: string;
}

describe('database fault: PostgreSQL stopped and started under load', () => {
  let api: TestApi;
  let watched: WatchedUser;

  beforeAll(async () => {
    // Two API processes on the one database: a note written through the second reaches the
    // first one's clients only through PostgreSQL LISTEN/NOTIFY.
    api = await startApi({}, 2);
    watched = await watchedUser(api);
  });
  afterAll(async () => {
    disposeRealtime();
    disposeClients();
    await api?.stop();
  });

  const headers = () => watched.headers();

  /** Creates a note through the second API process; its id. */
  async function noteThroughOther(): Promise<{ status: number; id?: string }> {
    const res = await fetch(`${api.instances[1]!.apiUrl}/notes`, {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ title: `db fault ${randomUUID()}` }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { id?: string };
    return { status: res.status, id: body.id };
  }

  /** Notes through the other process until the realtime client gets one of them; the time it took. */
  async function realtimeDelivers(timeoutMs: number): Promise<number> {
    const started = Date.now();
    const sent = new Set<string>();
    while (Date.now() - started < timeoutMs) {
      const { status, id } = await noteThroughOther().catch(() => ({ status: 0, id: undefined }));
      if (status === 201 && id) sent.add(id);
      for (let i = 0; i < 5; i++) {
        if (watched.received.some((r) => sent.has(r))) return Date.now() - started;
        await sleep(100);
      }
    }
    throw new Error(`No notes.changed event within ${timeoutMs} ms (${sent.size} notes created)`);
  }

  it('delivers events from the other API process through PostgreSQL (before the fault)', async () => {
    const ms = await realtimeDelivers(5_000);
    report(`database fault: realtime event across processes in ${ms} ms before the fault`);
  });

  it('answers 503 problems quickly while PostgreSQL is down, and recovers within 5 s once it is back', async () => {
    const samples: Sample[] = [];
    const t0 = Date.now();
    const now = () => Date.now() - t0;
    let running = true;

    const worker = async (offset: number) => {
      for (let i = offset; running; i++) {
        const { path } = PROBES[i % PROBES.length]!;
        const at = now();
        const sample: Sample = { path, at, ms: 0, status: 0 };
        try {
          const res = await fetch(`${api.apiUrl}${path}`, {
            headers: headers(),
            signal: AbortSignal.timeout(10_000),
          });
          const body = await res.text();
          sample.status = res.status;
          if (res.status >= 400 && path !== '/health/ready') {
            const parsed = parseProblem(res.status, res.headers.get('content-type'), body);
            if ('wrong' in parsed) sample.wrong = parsed.wrong;
            else sample.code = parsed.problem.code;
          }
        } catch (error) {
          sample.status = `error: ${(error as Error).message}`;
        }
        sample.ms = now() - at;
        samples.push(sample);
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));

    await sleep(1_000);
    const stopAt = now();
    await api.stopDatabase();
    const downAt = now();
    await sleep(OUTAGE_MS);

    // A write while it is down: refused the same way, nothing half-done.
    const write = await fetch(`${api.apiUrl}/notes`, {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'while the database is down' }),
      signal: AbortSignal.timeout(10_000),
    });
    const writeProblem = parseProblem(
      write.status,
      write.headers.get('content-type'),
      await write.text(),
    );

    const restartAt = now();
    await api.startDatabase();
    const upAt = now();
    // Back: the first moment both DB-backed GETs answer 200 again.
    let recoveredAt: number | undefined;
    while (now() - upAt < 15_000) {
      const statuses = await Promise.all(
        ['/users/me', '/notes?pageSize=5'].map((path) =>
          fetch(`${api.apiUrl}${path}`, { headers: headers(), signal: AbortSignal.timeout(5_000) })
            .then((res) => res.status)
            .catch(() => 0),
        ),
      );
      if (statuses.every((s) => s === 200)) {
        recoveredAt = now();
        break;
      }
      await sleep(50);
    }
    await sleep(500);
    running = false;
    await load;

    const during = samples.filter((s) => s.at >= downAt && s.at + s.ms <= restartAt);
    const dbDuring = during.filter((s) => PROBES.find((p) => s.path === p.path)!.needsDb);
    const maxMs = Math.max(...during.map((s) => s.ms));
    const countBy = (list: Sample[]) =>
      list.reduce<Record<string, number>>((acc, s) => {
        const key = `${s.path} ${s.status}${s.code ? ` ${s.code}` : ''}`;
        acc[key] = (acc[key] ?? 0) + 1;
        return acc;
      }, {});
    report(
      `database fault: ${samples.length} requests in ${(now() / 1000).toFixed(1)} s; ` +
        `stop took ${downAt - stopAt} ms, restart ${upAt - restartAt} ms; ` +
        `while down ${during.length} requests, slowest ${maxMs} ms: ${JSON.stringify(countBy(during))}; ` +
        `recovered ${recoveredAt === undefined ? 'never' : `${recoveredAt - upAt} ms`} after PostgreSQL was back`,
    );

    // The API process never went away.
    expect(api.replica.service.running).toBe(true);
    // Only 200 and 503 in the whole run: no transport error, no hang, no 500, no 401.
    expect(
      samples.filter((s) => s.status !== 200 && s.status !== 503),
      'answers other than 200 and 503',
    ).toEqual([]);
    // Every 503 a problem of the contracts, with the service_unavailable code.
    expect(samples.filter((s) => s.status === 503 && s.wrong)).toEqual([]);
    expect(
      samples.filter(
        (s) => s.status === 503 && s.path !== '/health/ready' && s.code !== 'service_unavailable',
      ),
    ).toEqual([]);

    // While it was down: steady load, each request quick; DB routes 503, liveness 200.
    expect(dbDuring.length).toBeGreaterThanOrEqual(20);
    expect(
      during.filter((s) => s.ms > QUICK_MS),
      `slower than ${QUICK_MS} ms`,
    ).toEqual([]);
    expect(dbDuring.filter((s) => s.status !== 503)).toEqual([]);
    expect(during.filter((s) => s.path === '/health' && s.status !== 200)).toEqual([]);
    expect(during.filter((s) => s.path === '/health')).not.toHaveLength(0);
    expect(write.status).toBe(503);
    expect(writeProblem).toMatchObject({ problem: { code: 'service_unavailable' } });

    // Back within 5 s, without a restart of the API.
    expect(recoveredAt, 'the API did not serve again').toBeDefined();
    expect(recoveredAt! - upAt).toBeLessThanOrEqual(RECOVERY_MS);
    expect(api.instances.every((i) => i.replica.service.running)).toBe(true);
    const ready = await fetch(`${api.apiUrl}/health/ready`);
    expect(ready.status).toBe(200);
  });

  it('delivers events from the other API process again after the restart (LISTEN re-established)', async () => {
    const ms = await realtimeDelivers(15_000);
    report(`database fault: realtime event across processes ${ms} ms after recovery`);
    expect(watched.rt.state).toBe('open');
  });
});
