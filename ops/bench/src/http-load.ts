/** HTTP load with autocannon (programmatic API), in this process: the servers run in children. */
import autocannon from 'autocannon';

export interface HttpFigures {
  url: string;
  connections: number;
  durationS: number;
  /** Mean requests per second over the run (2xx and others alike). */
  reqPerSec: number;
  requests: number;
  /** Latency percentiles of the 2xx responses, in ms (autocannon's histogram: 1 ms steps). */
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  headers?: Record<string, string>;
  /** Seconds of the same load first, not counted (JIT, pools, caches). */
  warmupS?: number;
}

async function run(options: LoadOptions, durationS: number) {
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: durationS,
    headers: options.headers,
    timeout: 10,
  });
}

export async function load(options: LoadOptions): Promise<HttpFigures> {
  if (options.warmupS) await run(options, options.warmupS);
  const result = await run(options, options.durationS);
  if (result['2xx'] === 0) {
    throw new Error(
      `${options.url}: no 2xx response (${result.non2xx} non-2xx, ${result.errors} errors)`,
    );
  }
  return {
    url: options.url,
    connections: options.connections,
    durationS: result.duration,
    reqPerSec: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
