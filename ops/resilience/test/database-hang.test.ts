import { randomUUID } from 'node:crypto';
import { disposeClients, disposeRealtime } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from './support/api.js';
import { parseProblem } from './support/problem.js';
import { report } from './support/report.js';
import { type WatchedUser, watchedUser } from './support/watched-user.js';

/**
 * PostgreSQL that stops answering without going away: its processes frozen (SIGSTOP, as a stuck
 * disk or a lock would leave them), then the network to it cut without a word (a partition that
 * leaves every open connection half-open for good). Every request gets an answer all the same:
 * 503 `service_unavailable` for what needs the database, within the bound DATABASE_TIMEOUT_MS
 * sets, 200 for liveness, 503 for readiness; WebSockets stay open. Once PostgreSQL answers again
 * (SIGCONT; the network back, for new connections only), everything serves again without a
 * restart.
 */

/** Short, so the test is: the bound a request may wait on the database, in ms. */
const DATABASE_TIMEOUT_MS = 1_000;
/** A request not answered by then is reported as hanging (and fails the test). */
const HANG_MS = 30_000;
/** Long enough for a loaded machine: conditions are polled, never timed. */
const POLL = { timeout: 60_000, interval: 200 };

interface Outcome {
  label: string;
  status: number | string;
  code?: string;
  ms: number;
}

describe('a database that stops answering', () => {
  let api: TestApi;
  let watched: WatchedUser;

  beforeAll(async () => {
    api = await startApi({ DATABASE_TIMEOUT_MS: String(DATABASE_TIMEOUT_MS) }, 2, { relay: true });
    watched = await watchedUser(api);
  });
  afterAll(async () => {
    disposeRealtime();
    disposeClients();
    await api?.stop();
  });

  const headers = () => watched.headers();

  async function request(
    label: string,
    path: string,
    init: RequestInit = {},
    base = api.apiUrl,
  ): Promise<Outcome> {
    const started = performance.now();
    try {
      const res = await fetch(`${base}${path}`, {
        ...init,
        headers: { ...headers(), ...(init.body ? { 'content-type': 'application/json' } : {}) },
        signal: AbortSignal.timeout(HANG_MS),
      });
      const body = await res.text();
      const parsed =
        res.status >= 400 && path !== '/health/ready'
          ? parseProblem(res.status, res.headers.get('content-type'), body)
          : undefined;
      return {
        label,
        status: res.status,
        code: parsed && ('problem' in parsed ? parsed.problem.code : `wrong: ${parsed.wrong}`),
        ms: Math.round(performance.now() - started),
      };
    } catch (error) {
      return {
        label,
        status: `no answer: ${(error as Error).message}`,
        ms: Math.round(performance.now() - started),
      };
    }
  }

  const note = (base = api.apiUrl) =>
    request(
      'POST /notes',
      '/notes',
      {
        method: 'POST',
        body: JSON.stringify({ title: `hang ${randomUUID()}` }),
      },
      base,
    );

  /**
   * Requests to /notes from more workers than the pool has connections, until stopped: every
   * pooled connection stays in use, so none is ever closed for being idle, and a dead one the
   * API kept would be handed out again and again.
   */
  function keepBusy() {
    let running = true;
    const workers = Array.from({ length: 12 }, async () => {
      while (running) await request('load', '/notes?pageSize=5');
    });
    return async () => {
      running = false;
      await Promise.all(workers);
    };
  }

  /** What a user and an operator see while the database does not answer. */
  async function whileUnanswered(fault: string) {
    // Many at once: more than the pool holds, so some wait for a connection that never frees.
    const outcomes = await Promise.all([
      ...Array.from({ length: 12 }, () => request('GET /notes', '/notes?pageSize=5')),
      note(),
      note(),
      request('GET /health', '/health'),
      request('GET /health/ready', '/health/ready'),
    ]);
    // Its access decisions come from the cache until the listener's heartbeat notices (then from
    // the database, which does not answer): /users/me turns to 503 as well.
    await expect
      .poll(async () => (await request('GET /users/me', '/users/me')).status, POLL)
      .toBe(503);
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    report(
      `database ${fault}: ${outcomes.length} requests all answered, slowest ${slowest} ms ` +
        `(DATABASE_TIMEOUT_MS ${DATABASE_TIMEOUT_MS}): ` +
        JSON.stringify(outcomes.map((o) => `${o.label} ${o.status} ${o.code ?? ''} ${o.ms} ms`)),
    );
    const answers = outcomes.map(({ label, status, code }) => ({ label, status, code }));
    for (const answer of answers) {
      if (answer.label === 'GET /health') expect(answer).toEqual({ ...answer, status: 200 });
      else if (answer.label === 'GET /health/ready') expect(answer.status).toBe(503);
      else expect(answer).toEqual({ ...answer, status: 503, code: 'service_unavailable' });
    }
    expect(watched.rt.state).toBe('open');
  }

  /** Served again, and the other instance's events arrive again (its listener is back). */
  async function servedAgain() {
    await expect
      .poll(async () => (await request('GET /users/me', '/users/me')).status, POLL)
      .toBe(200);
    await expect.poll(async () => (await request('GET /notes', '/notes')).status, POLL).toBe(200);
    await expect.poll(async () => (await request('ready', '/health/ready')).status, POLL).toBe(200);
    await expect
      .poll(async () => {
        const created = await note(api.instances[1]!.apiUrl);
        const body = created.status === 201;
        return body && watched.received.length > 0;
      }, POLL)
      .toBe(true);
    expect(watched.rt.state).toBe('open');
  }

  it('answers every request while PostgreSQL is frozen (SIGSTOP), and serves again after SIGCONT', async () => {
    expect((await request('GET /users/me', '/users/me')).status).toBe(200);
    const stopLoad = keepBusy();
    const thaw = await api.freezeDatabase();
    try {
      await whileUnanswered('frozen');
    } finally {
      thaw();
    }
    watched.received.length = 0;
    await servedAgain();
    await stopLoad();
  });

  it('answers every request while the network to PostgreSQL is cut, and serves again through new connections', async () => {
    expect((await request('GET /users/me', '/users/me')).status).toBe(200);
    const stopLoad = keepBusy();
    api.relay!.partition();
    try {
      await whileUnanswered('unreachable (half-open connections)');
    } finally {
      // New connections only: the open ones stay dead, as after a real partition or failover.
      api.relay!.heal();
    }
    watched.received.length = 0;
    await servedAgain();
    await stopLoad();
  });
});
