import { type PinoLogger } from 'nestjs-pino';
import { describe, expect, it } from 'vitest';
import { AccessCache, type Loaded } from '../../src/access/access-cache.js';
import { type Config } from '../../src/core/config/config.js';
import { type DatabaseListener } from '../../src/core/database/database-listener.js';

/*
 * The cache's rules at the exact moments that matter: a change notification arriving while a row
 * is being read, the listener going down or coming back. The notifications come from a hand-made
 * listener here (the instance tests drive the real one, through PostgreSQL).
 */

function cacheWith(max = 100) {
  let notify: (payload: string) => void = () => undefined;
  let setListening: (listening: boolean) => void = () => undefined;
  const listener = {
    on: (_channel: string, handler: (payload: string) => void) => void (notify = handler),
    onStateChange: (handler: (listening: boolean) => void) => {
      setListening = handler;
      return () => undefined;
    },
  } as unknown as DatabaseListener;
  const logger = { setContext: () => undefined, warn: () => undefined } as unknown as PinoLogger;
  const cache = new AccessCache(logger, { ACCESS_CACHE_MAX: max } as Config, listener);
  return {
    cache,
    notify: (key: string) => notify(key),
    setListening: (on: boolean) => setListening(on),
  };
}

/** A loader that counts its calls and answers `value`, valid for a minute. */
function loader<T extends NonNullable<unknown>>(value: T | null) {
  const counter = {
    calls: 0,
    load: (): Promise<Loaded<T> | null> => {
      counter.calls += 1;
      return Promise.resolve(value === null ? null : { value, until: Date.now() + 60_000 });
    },
  };
  return counter;
}

describe('the access cache', () => {
  it('reads the database every time until the listener is up', async () => {
    const { cache, setListening } = cacheWith();
    const row = loader('user-1');
    await cache.get('sessions:s1', row.load);
    await cache.get('sessions:s1', row.load);
    expect(row.calls).toBe(2);

    setListening(true);
    await cache.get('sessions:s1', row.load);
    await cache.get('sessions:s1', row.load);
    expect(row.calls).toBe(3);
  });

  it('drops an entry when its row changes', async () => {
    const { cache, notify, setListening } = cacheWith();
    setListening(true);
    const row = loader('user-1');
    await cache.get('sessions:s1', row.load);
    notify('sessions:s2');
    await cache.get('sessions:s1', row.load);
    expect(row.calls).toBe(1);
    notify('sessions:s1');
    await cache.get('sessions:s1', row.load);
    expect(row.calls).toBe(2);
  });

  it('does not keep what it read while the row changed', async () => {
    const { cache, notify, setListening } = cacheWith();
    setListening(true);
    let release: () => void = () => undefined;
    const slow = async (): Promise<Loaded<string>> => {
      await new Promise<void>((resolve) => (release = resolve));
      return { value: 'before the change', until: Date.now() + 60_000 };
    };
    const reading = cache.get('users:u1', slow);
    notify('users:u1');
    release();
    expect(await reading).toBe('before the change');

    const fresh = loader('after the change');
    expect(await cache.get('users:u1', fresh.load)).toBe('after the change');
    expect(fresh.calls).toBe(1);
  });

  it('forgets everything when the listener goes down, and again when it is back', async () => {
    const { cache, setListening } = cacheWith();
    setListening(true);
    const row = loader('user-1');
    await cache.get('sessions:s1', row.load);
    setListening(false);
    expect(cache.size).toBe(0);
    await cache.get('sessions:s1', row.load);
    expect(cache.size).toBe(0);

    // A read that began before the reconnect may have missed a change made in between.
    let release: () => void = () => undefined;
    const reading = cache.get('sessions:s1', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { value: 'user-1', until: Date.now() + 60_000 };
    });
    setListening(true);
    release();
    await reading;
    expect(cache.size).toBe(0);
  });

  it('keeps nothing past its `until`, nor what was not found', async () => {
    const { cache, setListening } = cacheWith();
    setListening(true);
    await cache.get('sessions:s1', () =>
      Promise.resolve({ value: 'user-1', until: Date.now() - 1 }),
    );
    await cache.get('sessions:s2', loader<string>(null).load);
    expect(cache.size).toBe(0);
  });

  it('holds at most ACCESS_CACHE_MAX entries', async () => {
    const { cache, setListening } = cacheWith(2);
    setListening(true);
    for (const id of ['a', 'b', 'c']) await cache.get(`users:${id}`, loader(id).load);
    expect(cache.size).toBe(2);
  });

  it('is off with ACCESS_CACHE_MAX=0', async () => {
    const { cache, setListening } = cacheWith(0);
    setListening(true);
    const row = loader('user-1');
    await cache.get('users:u1', row.load);
    await cache.get('users:u1', row.load);
    expect(row.calls).toBe(2);
  });
});
