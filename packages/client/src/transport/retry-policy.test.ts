import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, isIdempotent, parseRetryAfter, retryDelay } from './retry-policy.js';

const options = { ...DEFAULT_RETRY, retries: 3, baseDelayMs: 100, maxDelayMs: 1_000 };
const half = () => 0.5;

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
  });

  it('reads an HTTP date, relative to now, never negative', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores what is neither', () => {
    for (const bad of [undefined, null, '', 'soon', '-3', '1.5', 'NaN', {}]) {
      expect(parseRetryAfter(bad, now)).toBeUndefined();
    }
  });
});

describe('retryDelay', () => {
  it('retries idempotent methods only', () => {
    expect(['GET', 'head', 'OPTIONS', 'PUT', 'DELETE'].every(isIdempotent)).toBe(true);
    expect(['POST', 'PATCH'].some(isIdempotent)).toBe(false);
    for (const method of ['POST', 'PATCH']) {
      expect(retryDelay({ method, status: 503 }, 0, options, half)).toBeNull();
      expect(
        retryDelay({ method, status: undefined, kind: 'network' }, 0, options, half),
      ).toBeNull();
      expect(retryDelay({ method, status: 429, retryAfterMs: 10 }, 0, options, half)).toBeNull();
    }
  });

  it('retries network errors and 429/502/503/504, nothing else', () => {
    const get = (status: number | undefined, kind?: 'network' | 'timeout' | 'aborted') =>
      retryDelay({ method: 'get', status, kind }, 0, options, half);
    expect(get(undefined, 'network')).toBe(75);
    for (const status of [429, 502, 503, 504]) expect(get(status)).toBe(75);
    for (const status of [400, 401, 403, 404, 409, 500, 501]) expect(get(status)).toBeNull();
    expect(get(undefined, 'timeout')).toBeNull();
    expect(get(undefined, 'aborted')).toBeNull();
  });

  it('backs off exponentially and stops after the last retry', () => {
    const delays = [0, 1, 2, 3].map((attempt) =>
      retryDelay({ method: 'GET', status: 503 }, attempt, options, () => 0.999),
    );
    expect(delays).toEqual([100, 200, 400, null]);
  });

  it('waits at least Retry-After, and gives up when it is longer than allowed', () => {
    expect(retryDelay({ method: 'GET', status: 429, retryAfterMs: 2_000 }, 0, options, half)).toBe(
      2_000,
    );
    expect(retryDelay({ method: 'GET', status: 503, retryAfterMs: 0 }, 0, options, half)).toBe(75);
    expect(
      retryDelay({ method: 'GET', status: 429, retryAfterMs: 61_000 }, 0, options, half),
    ).toBeNull();
  });
});
