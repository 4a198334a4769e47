import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { PinoLogger } from 'nestjs-pino';
import { Config } from '../core/config/config.js';
import { DatabaseListener } from '../core/database/database-listener.js';

/**
 * The channel the database triggers of the AccessChanges migration notify on every update or
 * delete of a user, session or API key row, with `<table>:<key>`: the cache keys below.
 */
const ACCESS_CHANGED_CHANNEL = 'access_changed';
/** How long a fence may wait for its own notification before the cache gives up on its entries. */
const FENCE_TIMEOUT_MS = 2_000;

/** What a loader found, and until when (epoch ms) it may be used without asking again. */
export interface Loaded<T> {
  value: T;
  until: number;
}

interface Fill {
  stale: boolean;
}

/**
 * What authenticated requests need to know about users, sessions and API keys, kept in this
 * process so that the hot path asks the database nothing. Each entry is dropped on every
 * instance when its row changes (a trigger notifies, DatabaseListener delivers) and lives no
 * longer than the `until` its loader gave (never beyond the token it was checked for).
 *
 * Correctness before speed: while the listener is down (or reconnecting, when notifications
 * may have been missed) the cache holds nothing and every lookup goes to the database; a row that
 * changes while it is being read is not stored; the size is bounded (least recently used out).
 */
@Injectable()
export class AccessCache {
  private readonly entries: LRUCache<string, NonNullable<unknown>> | undefined;
  /** Loads in flight, by key: a change of the key marks them stale, so they are not stored. */
  private readonly fills = new Map<string, Set<Fill>>();
  private readonly fences = new Map<string, () => void>();
  private active = false;

  constructor(
    private readonly logger: PinoLogger,
    config: Config,
    private readonly listener: DatabaseListener,
  ) {
    logger.setContext(AccessCache.name);
    if (config.ACCESS_CACHE_MAX === 0) return;
    this.entries = new LRUCache({ max: config.ACCESS_CACHE_MAX });
    listener.on(ACCESS_CHANGED_CHANNEL, (key) => this.changed(key));
    listener.onStateChange((listening) => this.setActive(listening));
  }

  /** Entries held now (for the benchmark and the tests). */
  get size(): number {
    return this.entries?.size ?? 0;
  }

  /** The value of `key`: from the cache, or from `load` (stored when it may be). */
  async get<T extends NonNullable<unknown>>(
    key: string,
    load: () => Promise<Loaded<T> | null>,
  ): Promise<T | null> {
    if (!this.active || !this.entries) return (await load())?.value ?? null;
    const hit = this.entries.get(key) as T | undefined;
    if (hit !== undefined) return hit;

    const fill: Fill = { stale: false };
    const fills = this.fills.get(key) ?? new Set<Fill>();
    fills.add(fill);
    this.fills.set(key, fills);
    try {
      const loaded = await load();
      const ttl = loaded ? Math.floor(loaded.until - Date.now()) : 0;
      if (loaded && !fill.stale && ttl > 0) this.entries.set(key, loaded.value, { ttl });
      return loaded?.value ?? null;
    } finally {
      fills.delete(fill);
      if (fills.size === 0) this.fills.delete(key);
    }
  }

  /**
   * Resolves once this instance has seen every change committed before the call: the changes of
   * a transaction reach the listener in commit order, so a notification sent after them arrives
   * after theirs. What a request wrote is then what its next request reads, on this instance too.
   */
  async fence(): Promise<void> {
    if (!this.active) return;
    const id = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<void>((resolve) => {
      this.fences.set(id, resolve);
      timer = setTimeout(() => {
        this.logger.warn('A change notification did not arrive in time: the cache starts over');
        this.forget();
        resolve();
      }, FENCE_TIMEOUT_MS);
    });
    try {
      // On the listening connection: the statement waiting for this may hold a pooled one, and
      // sent after the change committed, this arrives after the change's own notification.
      await this.listener.notify(ACCESS_CHANGED_CHANNEL, `fence:${id}`);
      await arrived;
    } catch (error) {
      // The database is unreachable: entries might now be stale, and nothing can tell.
      this.logger.warn({ err: error }, 'Could not fence a change: the cache starts over');
      this.forget();
    } finally {
      clearTimeout(timer);
      this.fences.delete(id);
    }
  }

  private changed(key: string) {
    if (key.startsWith('fence:')) return this.fences.get(key.slice('fence:'.length))?.();
    this.entries?.delete(key);
    for (const fill of this.fills.get(key) ?? []) fill.stale = true;
  }

  private setActive(active: boolean) {
    // Either way, what is held or being read may have missed a change.
    this.forget();
    this.active = active;
    if (!active) for (const resolve of this.fences.values()) resolve();
  }

  private forget() {
    this.entries?.clear();
    for (const fills of this.fills.values()) for (const fill of fills) fill.stale = true;
  }
}
