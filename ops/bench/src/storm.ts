/**
 * A login storm: `perSecond` logins a second, evenly spread, for `durationS` seconds, as
 * autocannon instances of one connection and one login a second each, started 1/perSecond s
 * apart (autocannon's own rate limit sends each second's quota in one burst, which would make
 * 20 logins arrive at once instead of one every 50 ms).
 */
import autocannon from 'autocannon';
import { percentile, round } from './stats.js';

export interface StormFigures {
  perSecond: number;
  logins: number;
  ok: number;
  failed: number;
  /** Login latency (argon2id verify included), ms. */
  p50: number;
  p99: number;
}

export async function loginStorm(options: {
  url: string;
  email: string;
  password: string;
  perSecond: number;
  durationS: number;
}): Promise<StormFigures> {
  const body = JSON.stringify({ email: options.email, password: options.password });
  const spacingMs = 1000 / options.perSecond;
  const runs: Promise<autocannon.Result>[] = [];
  const latencies: number[] = [];
  for (let i = 0; i < options.perSecond; i++) {
    runs.push(
      new Promise<void>((resolve) => setTimeout(resolve, i * spacingMs)).then(
        () =>
          new Promise<autocannon.Result>((resolve, reject) => {
            const instance = autocannon(
              {
                url: options.url,
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body,
                connections: 1,
                overallRate: 1,
                // The later ones start later: all end together.
                duration: Math.max(1, options.durationS - (i * spacingMs) / 1000),
                timeout: 10,
              },
              (error: Error | null, result) => (error ? reject(error) : resolve(result)),
            );
            instance.on('response', (_client, _status, _bytes, ms: number) => latencies.push(ms));
          }),
      ),
    );
  }
  const results = await Promise.all(runs);
  const ok = results.reduce((sum, r) => sum + r['2xx'], 0);
  const failed = results.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
  return {
    perSecond: options.perSecond,
    logins: ok + failed,
    ok,
    failed,
    p50: round(percentile(latencies, 50), 1),
    p99: round(percentile(latencies, 99), 1),
  };
}
