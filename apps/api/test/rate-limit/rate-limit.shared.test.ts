import { createHash } from 'node:crypto';
import { getStorageToken } from '@nestjs/throttler';
import { newCredentials } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RateLimitStore } from '../../src/core/rate-limit/rate-limit-store.js';
import { post } from '../support/auth-client.js';
import { NO_RATE_LIMITS, sql } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

/**
 * Two API instances on one database count against the same limits (RateLimitStore). Each test
 * logs in from addresses of its own, given in X-Forwarded-For (TRUST_PROXY=true, as behind nginx).
 */
const LIMIT = 5;
const WRONG = 'not the password at all';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  const env = { ...NO_RATE_LIMITS, RATE_LIMIT_LOGIN_PER_IP: String(LIMIT), TRUST_PROXY: 'true' };
  // One after the other: both run the migrations.
  a = await startTestApp({ databaseUrl: database.url, env });
  b = await startTestApp({ databaseUrl: database.url, env });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await database?.drop();
});

/** A wrong login from `ip` on instance `t`: its status. */
const wrongLogin = async (t: TestApp, ip: string, email = newCredentials().email) =>
  (await post(t, '/auth/login', { email, password: WRONG }, { 'x-forwarded-for': ip })).status;

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {});

describe('login limit per IP shared by two API instances (RATE_LIMIT_LOGIN_PER_IP=5)', () => {
  it('lets exactly 5 wrong logins through although they alternate between the instances; the 6th is 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 3; i++)
      statuses.push(await wrongLogin(i % 2 === 0 ? a : b, '198.51.100.10'));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });

  it('lets exactly 5 through when 20 arrive at once on both instances', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => wrongLogin(i % 2 === 0 ? a : b, '198.51.100.11')),
    );
    expect(tally(statuses)).toEqual({ 401: LIMIT, 429: 20 - LIMIT });
  });

  it('counts an IPv6 client as its /64, and an IPv4-mapped address as its IPv4', async () => {
    for (const ip of ['2001:db8:5:6::1', '2001:db8:5:6:ffff::2', '2001:db8:5:6::3'])
      expect(await wrongLogin(a, ip)).toBe(401);
    for (const ip of ['2001:db8:5:6:1234:5678:9abc:def0', '2001:db8:5:6::4'])
      expect(await wrongLogin(b, ip)).toBe(401);
    expect(await wrongLogin(a, '2001:db8:5:6::99')).toBe(429);
    // The next /64 is another client.
    expect(await wrongLogin(b, '2001:db8:5:7::1')).toBe(401);

    for (let i = 0; i < LIMIT; i++)
      expect(
        await wrongLogin(i % 2 ? a : b, i % 2 ? '::ffff:198.51.100.12' : '198.51.100.12'),
      ).toBe(401);
    expect(await wrongLogin(a, '198.51.100.12')).toBe(429);
    expect(await wrongLogin(b, '::ffff:198.51.100.12')).toBe(429);
  });

  it('stores no address or email, nor an unkeyed hash of them', async () => {
    const ip = '198.51.100.13';
    const email = newCredentials().email;
    expect(await wrongLogin(a, ip, email)).toBe(401);
    const rows = await sql<{ key: string }>(a, 'SELECT key FROM rate_limit_hits');
    expect(rows.length).toBeGreaterThan(0);
    for (const { key } of rows) expect(key).toMatch(/^[0-9a-f]{64}$/);
    const stored = JSON.stringify(await sql(a, 'SELECT * FROM rate_limit_hits'));
    expect(stored).not.toContain(ip);
    expect(stored).not.toContain(email);
    // @nestjs/throttler's own key is a plain SHA-256 of the route, limit and address: an IPv4
    // address would be found from it by trying them all. The table holds an HMAC of it instead.
    const unkeyed = createHash('sha256')
      .update(`AuthController-login-login-ip-${ip}`)
      .digest('hex');
    expect(rows.map((r) => r.key)).not.toContain(unkeyed);
  });

  it('starts a new window once the last one has ended, and prunes ended windows', async () => {
    const ip = '198.51.100.14';
    for (let i = 0; i < LIMIT; i++) expect(await wrongLogin(i % 2 ? a : b, ip)).toBe(401);
    expect(await wrongLogin(a, ip)).toBe(429);

    // Every window ends now, as a minute later.
    await sql(a, `UPDATE rate_limit_hits SET expires_at = now() - interval '1 second'`);
    expect(await wrongLogin(b, ip)).toBe(401);
    const { live } = (
      await sql<{ live: number }>(
        a,
        'SELECT count(*)::int AS live FROM rate_limit_hits WHERE expires_at > now()',
      )
    )[0]!;
    expect(live).toBeGreaterThan(0); // the renewed windows of that last login

    const store = a.app.get<RateLimitStore>(getStorageToken());
    expect(await store.prune()).toBeGreaterThan(0);
    expect(
      await sql(a, 'SELECT count(*)::int AS ended FROM rate_limit_hits WHERE expires_at <= now()'),
    ).toEqual([{ ended: 0 }]);
    expect(
      await sql(a, 'SELECT count(*)::int AS live FROM rate_limit_hits WHERE expires_at > now()'),
    ).toEqual([{ live }]);
  });

  it('prunes ended windows by itself as hits come in (every 100th hit of a process)', async () => {
    await sql(
      a,
      `INSERT INTO rate_limit_hits (key, hits, expires_at)
       SELECT md5(random()::text) || md5(random()::text), 1, now() - interval '1 minute'
         FROM generate_series(1, 5)`,
    );
    // Refused by validation, yet counted: the limits come first.
    for (let i = 0; i < 100; i++)
      expect((await post(a, '/auth/register', { email: 'not an email' })).status).toBe(400);
    await expect
      .poll(() =>
        sql(a, 'SELECT count(*)::int AS ended FROM rate_limit_hits WHERE expires_at <= now()'),
      )
      .toEqual([{ ended: 0 }]);
  });
});
