/**
 * The access cache's rows: how fast a revocation on one API instance reaches another, and what
 * the cache holds in memory for many sessions. Sessions are made in bulk in the database (with
 * refresh tokens of our own, so they can be ended through the API) and their access tokens signed
 * here with the run's secret: a login per session would measure argon2, not the cache.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { type ApiReplica } from '@repo/stack';
import { collectGarbage } from '@repo/test-support';
import autocannon from 'autocannon';
import pg from 'pg';
import { rssBytes } from './children.js';
import { median, percentile, round } from './stats.js';

export interface BenchSession {
  accessToken: string;
  refreshToken: string;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** An HS256 access token as the API signs them (access-token.ts states the rules). */
function signAccess(env: Record<string, string>, userId: string, sessionId: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      sid: sessionId,
      sub: userId,
      iat: now,
      exp: now + 3600,
      iss: env.JWT_ISSUER,
      aud: env.JWT_AUDIENCE,
    }),
  );
  const signature = createHmac('sha256', env.JWT_ACCESS_SECRET!)
    .update(`${header}.${payload}`)
    .digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** The `sub` of an access token: the user it was issued to. */
export function userIdOf(accessToken: string): string {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as {
    sub: string;
  };
  return payload.sub;
}

/** `count` live sessions of the user, inserted in one statement, with their tokens. */
export async function makeSessions(
  databaseUrl: string,
  env: Record<string, string>,
  userId: string,
  count: number,
): Promise<BenchSession[]> {
  const refreshTokens = Array.from({ length: count }, () => randomBytes(32).toString('base64url'));
  const hashes = refreshTokens.map((t) => createHash('sha256').update(t).digest('hex'));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; token_hash: string }>(
      `INSERT INTO sessions (user_id, token_hash, expires_at)
       SELECT $1, hash, now() + interval '1 day' FROM unnest($2::text[]) AS hash
       RETURNING id, token_hash`,
      [userId, hashes],
    );
    const idByHash = new Map(rows.map((row) => [row.token_hash, row.id]));
    return refreshTokens.map((refreshToken, i) => ({
      refreshToken,
      accessToken: signAccess(env, userId, idByHash.get(hashes[i]!)!),
    }));
  } finally {
    await client.end();
  }
}

export interface RevocationFigures {
  revocations: number;
  /** From sending the logout to instance A to the first 401 from instance B, in ms. */
  p50: number;
  p99: number;
  max: number;
  /** Requests B answered 200 after the logout was sent, before it refused. */
  meanAcceptedAfter: number;
}

/**
 * For each session: B serves its token once (B has it cached), then the session is ended on A
 * (`POST /auth/logout`, as a native client) and B is asked again and again until it refuses the
 * token. The time counts from the logout request, so it includes A's own handling of it.
 */
export async function revocationPropagation(
  a: ApiReplica,
  b: ApiReplica,
  sessions: BenchSession[],
): Promise<RevocationFigures> {
  const me = (token: string) =>
    fetch(`${b.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
  const times: number[] = [];
  let accepted = 0;
  for (const session of sessions) {
    const first = await me(session.accessToken);
    await first.arrayBuffer();
    if (first.status !== 200) throw new Error(`B refused a live session: ${first.status}`);
    const started = performance.now();
    const logout = fetch(`${a.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
    for (;;) {
      const res = await me(session.accessToken);
      await res.arrayBuffer();
      if (res.status === 401) break;
      if (res.status !== 200) throw new Error(`B answered ${res.status}`);
      accepted += 1;
      if (performance.now() - started > 10_000) throw new Error('B still accepts after 10 s');
    }
    times.push(performance.now() - started);
    const ended = await logout;
    if (ended.status !== 204) throw new Error(`logout on A: ${ended.status}`);
  }
  return {
    revocations: times.length,
    p50: round(median(times), 1),
    p99: round(percentile(times, 99), 1),
    max: round(Math.max(...times), 1),
    meanAcceptedAfter: round(accepted / times.length, 1),
  };
}

export interface CacheMemoryFigures {
  sessions: number;
  /** V8 heap after a full GC, after the requests, less before them; per session. */
  heapPerSessionBytes: number;
  /** The same for the process's RSS. */
  rssPerSessionBytes: number;
}

/**
 * The API (running with --inspect on `inspectPort`) serves `/users/me` once for each session, so
 * its cache holds them all; the heap and RSS after a full GC, before and after, per session.
 */
export async function cacheMemory(
  api: ApiReplica,
  inspectPort: number,
  sessions: BenchSession[],
): Promise<CacheMemoryFigures> {
  const heapBefore = (await collectGarbage(inspectPort)).usedSize;
  const rssBefore = await rssBytes(api.service.pid!);
  let next = 0;
  const result = await autocannon({
    url: `${api.url}/api/v1/users/me`,
    connections: 20,
    amount: sessions.length,
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          headers: { authorization: `Bearer ${sessions[next++ % sessions.length]!.accessToken}` },
        }),
      },
    ],
  });
  if (result['2xx'] !== sessions.length) {
    throw new Error(`${result['2xx']} of ${sessions.length} /users/me answered 2xx`);
  }
  const heapAfter = (await collectGarbage(inspectPort)).usedSize;
  const rssAfter = await rssBytes(api.service.pid!);
  return {
    sessions: sessions.length,
    heapPerSessionBytes: Math.round((heapAfter - heapBefore) / sessions.length),
    rssPerSessionBytes: Math.round((rssAfter - rssBefore) / sessions.length),
  };
}
