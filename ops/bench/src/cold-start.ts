/**
 * Cold start: from the spawn of `node dist/main.js` to the first 200 of `/health/ready` (the
 * database round trip included), the database already migrated and running. Polled every 10 ms.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type ApiUnderTest } from './api.js';
import { median, round } from './stats.js';

export interface ColdStartFigures {
  runsMs: number[];
  medianMs: number;
}

async function until200(url: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

export async function coldStarts(api: ApiUnderTest, runs: number): Promise<ColdStartFigures> {
  const runsMs: number[] = [];
  for (let i = 1; i <= runs; i++) {
    const replica = await api.another(`cold-start-${i}`);
    const started = performance.now();
    replica.service.start();
    try {
      await until200(`${replica.url}/api/v1/health/ready`, 60_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${replica.service.output.join('\n')}`, {
        cause: error,
      });
    }
    runsMs.push(round(performance.now() - started));
    await replica.service.stop();
  }
  return { runsMs, medianMs: median(runsMs) };
}
