import { describe, expect, it } from 'vitest';
import { backoffCap, backoffDelay, sleep } from './backoff.js';

const options = { baseMs: 100, maxMs: 5_000 };

describe('backoffDelay', () => {
  it('doubles its cap each attempt, up to the maximum', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((a) => backoffCap(a, options))).toEqual([
      100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000,
    ]);
    expect(backoffCap(5_000, options)).toBe(5_000); // no overflow to Infinity or NaN
  });

  it('stays within [cap/2, cap] for any random number', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const cap = backoffCap(attempt, options);
      for (const r of [0, 0.25, 0.5, 0.999999]) {
        const delay = backoffDelay(attempt, options, () => r);
        expect(delay).toBeGreaterThanOrEqual(cap / 2);
        expect(delay).toBeLessThanOrEqual(cap);
      }
    }
  });

  it('spreads clients that failed together (jitter)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, options)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(800);
    for (const d of delays) expect(d).toBeLessThanOrEqual(1_600);
  });

  it('never waits longer than the maximum, even at the top of the jitter', () => {
    expect(backoffDelay(30, { baseMs: 500, maxMs: 30_000 }, () => 0.9999999)).toBe(30_000);
  });
});

describe('sleep', () => {
  it('rejects with the reason when its signal aborts', async () => {
    const controller = new AbortController();
    const slept = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(slept).rejects.toThrow('stop');
  });
});
