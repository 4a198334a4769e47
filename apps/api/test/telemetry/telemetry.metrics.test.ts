import { REALTIME_EVENTS } from '@repo/contracts';
import { freePort } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, get } from '../support/auth-client.js';
import { NO_RATE_LIMITS, send } from '../support/auth-extras.js';
import { eventsOf, newUser, socketPool } from '../support/realtime-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

/*
 * Prometheus metrics of two API instances on one database, each on a port of its own: requests
 * by route and status, WebSocket connections and deliveries, the bus's lag from one instance to
 * the other, the pool and the mail outbox. The API's own port does not serve them.
 */

const POLL = { timeout: 15_000 };

/** A sample of the exposition: `name{labels} value` lines, labels as written. */
async function scrape(port: number): Promise<Map<string, number>> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    const match = /^([a-z_:][\w:]*(?:\{.*\})?) (\S+)$/i.exec(line);
    if (match) samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

describe('metrics', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: TestApp;
  let b: TestApp;
  let portA: number;
  let portB: number;
  const sockets = socketPool();

  beforeAll(async () => {
    database = await createTestDatabase();
    [portA, portB] = [await freePort(), await freePort()];
    // One after the other: both would run the migrations.
    a = await startTestApp({
      env: { ...NO_RATE_LIMITS, METRICS_PORT: String(portA) },
      databaseUrl: database.url,
    });
    b = await startTestApp({
      env: { ...NO_RATE_LIMITS, METRICS_PORT: String(portB) },
      databaseUrl: database.url,
    });
  });
  afterAll(async () => {
    sockets.terminateAll();
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  it('counts requests by method, route pattern and status, with their latency', async () => {
    const alice = await newUser(a);
    const before = await scrape(portA);
    const key =
      'http_server_request_duration_seconds_count{method="GET",route="/api/v1/users/me",status_code="200"}';
    for (let i = 0; i < 3; i++)
      expect((await get(a, '/users/me', bearer(alice.session.accessToken))).status).toBe(200);
    const missing = crypto.randomUUID();
    await send(
      a,
      'DELETE',
      `/auth/sessions/${missing}`,
      undefined,
      bearer(alice.session.accessToken),
    );
    expect((await get(a, '/no-such-route')).status).toBe(404);

    const after = await scrape(portA);
    expect((after.get(key) ?? 0) - (before.get(key) ?? 0)).toBe(3);
    // A route's pattern, never its path: an id would make a series of its own.
    const byPattern = [...after].filter(
      ([k]) =>
        k.startsWith('http_server_request_duration_seconds_count{method="DELETE"') &&
        k.includes('route="/api/v1/auth/sessions/:id"'),
    );
    expect(byPattern.map(([, n]) => n)).toEqual([1]);
    expect(
      after.get(
        'http_server_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      after.get(
        'http_server_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/v1/users/me",status_code="200"}',
      ),
    ).toBe(after.get(key));
    expect([...after.keys()].filter((k) => k.includes(missing))).toEqual([]);
  });

  it('shows WebSocket connections, deliveries and the bus lag from the other instance', async () => {
    const alice = await newUser(a);
    // Its own user topic is joined on authentication.
    const socket = await sockets.authed(b, alice.session.accessToken);
    const before = await scrape(portB);
    expect(before.get('realtime_connections')).toBe(1);

    // Renamed through A: B hears of it through PostgreSQL, and sends it on.
    const renamed = await send(
      a,
      'PATCH',
      '/users/me',
      { name: 'Measured' },
      bearer(alice.session.accessToken),
    );
    expect(renamed.status).toBe(200);
    await expect
      .poll(() => eventsOf(socket, REALTIME_EVENTS.userUpdated).length, POLL)
      .toBeGreaterThanOrEqual(1);

    const after = await scrape(portB);
    expect(
      after.get('realtime_bus_lag_seconds_count')! -
        (before.get('realtime_bus_lag_seconds_count') ?? 0),
    ).toBeGreaterThanOrEqual(1);
    expect(
      after.get('realtime_deliveries_total')! - (before.get('realtime_deliveries_total') ?? 0),
    ).toBeGreaterThanOrEqual(1);

    socket.socket.close();
    await socket.closed;
    await expect.poll(async () => (await scrape(portB)).get('realtime_connections'), POLL).toBe(0);
  });

  it('shows the pool, the mail outbox and the runtime', async () => {
    const samples = await scrape(portA);
    expect(samples.get('db_pool_connections{state="total"}')).toBeGreaterThan(0);
    expect(samples.has('db_pool_connections{state="waiting"}')).toBe(true);
    // The sign-ups above queued confirmation emails; with no SMTP relay they stay in the outbox.
    expect(samples.get('mail_outbox_pending')).toBeGreaterThanOrEqual(1);
    expect(samples.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
    expect(samples.has('process_resident_memory_bytes')).toBe(true);
  });

  it('serves them on their own port only: the API port has no /metrics', async () => {
    expect((await fetch(`${a.origin}/metrics`)).status).toBe(404);
    expect((await fetch(`${a.origin}/api/v1/metrics`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${portA}/anything-else`)).status).toBe(404);
  });
});
