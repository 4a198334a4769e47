import { type OnApplicationShutdown } from '@nestjs/common';
import { type ThrottlerStorage } from '@nestjs/throttler';
import pg from 'pg';
import { type SecretBox } from '../crypto/secret-box.js';
import { boundedWaits } from '../database/data-source.js';

/** Connections of the limiter's own pool: a burst of refused requests never waits for the app's. */
const POOL_SIZE = 4;
/** Every this many hits, this process deletes a batch of expired rows. */
const PRUNE_EVERY = 100;
const PRUNE_BATCH = 1_000;

/** One statement per hit: a window starts at its first hit and lasts `ttl`; a later hit counts in it, or starts the next. */
const HIT = `
  INSERT INTO rate_limit_hits AS h (key, hits, expires_at)
  VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000))
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN h.expires_at <= now() THEN 1 ELSE least(h.hits + 1, $3::int + 1) END,
    expires_at = CASE WHEN h.expires_at <= now() THEN excluded.expires_at ELSE h.expires_at END
  RETURNING hits, (extract(epoch FROM expires_at - now()) * 1000)::float8 AS ms_left`;

/** The store could not count a hit: the guard decides whether the request goes on (fail open) or not. */
export class RateLimitStoreError extends Error {
  constructor(cause: unknown) {
    super('The rate limit store cannot be reached', { cause });
    this.name = 'RateLimitStoreError';
  }
}

/**
 * @nestjs/throttler's storage in PostgreSQL, so every API process counts against the same
 * limits: one row per key and window, counted by an atomic upsert. Keys are stored as an HMAC
 * (DATA_ENCRYPTION_SECRET): the table holds no address or email, nor a hash one could brute-force.
 * A key over its limit stays refused until its window ends (`blockDuration` is not used).
 */
export class RateLimitStore implements ThrottlerStorage, OnApplicationShutdown {
  private readonly pool: pg.Pool;
  private hitsSincePrune = 0;

  constructor(
    databaseUrl: string,
    timeoutMs: number,
    private readonly secretBox: SecretBox,
    private readonly onPruneError: (error: unknown) => void,
  ) {
    // pool.query discards a connection whose statement timed out: a dead one is not reused.
    this.pool = new pg.Pool({
      connectionString: databaseUrl,
      max: POOL_SIZE,
      ...boundedWaits(timeoutMs),
    });
    // An idle connection dropped by a database restart: the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
  ): Promise<Awaited<ReturnType<ThrottlerStorage['increment']>>> {
    let row: { hits: number; ms_left: number };
    try {
      const result = await this.pool.query<typeof row>(HIT, [this.secretBox.hmac(key), ttl, limit]);
      row = result.rows[0]!;
    } catch (error) {
      throw new RateLimitStoreError(error);
    }
    if (++this.hitsSincePrune >= PRUNE_EVERY) {
      this.hitsSincePrune = 0;
      this.prune().catch(this.onPruneError);
    }
    const secondsLeft = Math.max(1, Math.ceil(row.ms_left / 1000));
    const isBlocked = row.hits > limit;
    return {
      totalHits: row.hits,
      timeToExpire: secondsLeft,
      isBlocked,
      timeToBlockExpire: isBlocked ? secondsLeft : 0,
    };
  }

  /** Deletes a batch of windows that have ended; returns how many. */
  async prune(): Promise<number> {
    const result = await this.pool.query(
      // The outer condition is checked again on a row a concurrent hit has just renewed.
      `DELETE FROM rate_limit_hits WHERE expires_at <= now() AND key IN (
         SELECT key FROM rate_limit_hits WHERE expires_at <= now() LIMIT $1)`,
      [PRUNE_BATCH],
    );
    return result.rowCount ?? 0;
  }

  /** Ends the pool: every later hit fails (RateLimitStoreError). */
  async close() {
    if (!this.pool.ended) await this.pool.end();
  }

  onApplicationShutdown() {
    return this.close();
  }
}
