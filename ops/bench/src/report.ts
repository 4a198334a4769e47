/** The table (markdown) of a run. */
import { type CacheMemoryFigures, type RevocationFigures } from './access-cache.js';
import { type ColdStartFigures } from './cold-start.js';
import { type FanoutFigures } from './fanout.js';
import { type HttpFigures } from './http-load.js';
import { type JobLatencyFigures, type JobThroughputFigures } from './jobs.js';
import { type StormFigures } from './storm.js';

/** An HTTP run and where the cores went during it. */
export interface HttpRun extends HttpFigures {
  cores: Record<string, number>;
}

export interface Results {
  bareHealth?: HttpRun;
  /** The same bare server sending the headers of the API's `/health` answer too. */
  bareHealthDressed?: HttpRun;
  /** servers/bare-http.ts's lean `/users/me`: the same token check and queries, no framework. */
  leanMe?: HttpRun;
  apiHealth?: HttpRun;
  apiMe?: HttpRun;
  apiNotes?: HttpRun;
  /** `/users/me` of an API with ACCESS_CACHE_MAX=0: every lookup asks the database. */
  apiMeUncached?: HttpRun;
  /** `/users/me` of two fresh API processes: tracing and metrics off, then on. */
  telemetryOff?: HttpRun;
  telemetryOn?: HttpRun;
  /** The same with 10 % of requests traced, as a busy deployment samples. */
  telemetrySampled?: HttpRun;
  revocation?: RevocationFigures;
  cacheMemory?: CacheMemoryFigures;
  nginxMe?: HttpRun | { skipped: string };
  stormIdle?: HttpRun;
  storm?: HttpRun & { logins: StormFigures };
  bareWs?: FanoutFigures;
  apiWs?: FanoutFigures;
  /** Queued → run of no-op jobs one at a time, by the API's own worker, then by a worker process. */
  jobsInProcess?: JobLatencyFigures;
  jobsWorker?: JobLatencyFigures;
  /** No-op jobs queued at once through one worker process, and the bare queue's loop. */
  jobsThroughput?: JobThroughputFigures;
  bareQueue?: JobThroughputFigures;
  coldStart?: ColdStartFigures;
}

export interface Row {
  measure: string;
  result: string;
  baseline: string;
  ratio: string;
  target: string;
  /** null: no target (a baseline, or a figure for information). */
  met: boolean | null;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** The server's CPU time per request in the run, in µs (its cores ÷ its requests per second). */
export const cpuPerRequestUs = (run: HttpRun) => ((run.cores.server ?? 0) / run.reqPerSec) * 1e6;
const ms = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} ms`;
const pct = (n: number) => `${Math.round(n * 100)} %`;
const times = (n: number) => `${n.toFixed(2)}×`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const http = (r: HttpFigures) => `${int(r.reqPerSec)} req/s · p50 ${ms(r.p50)} · p99 ${ms(r.p99)}`;
const ws = (f: FanoutFigures['steady']) =>
  `${int(f.deliveredPerSec)} delivered/s · p50 ${ms(f.p50)} · p99 ${ms(f.p99)}`;

export function rows(r: Results, options: { rate: number; logins: number }): Row[] {
  const out: Row[] = [];
  const bare = r.bareHealth;
  if (bare) {
    out.push({
      measure: 'bare `node:http` `GET /health` (the limit)',
      result: http(bare),
      baseline: '—',
      ratio: '—',
      target: '—',
      met: null,
    });
  }
  const vsBare = (measure: string, run: HttpRun | undefined, target?: number) => {
    if (!run) return;
    const ratio = bare ? run.reqPerSec / bare.reqPerSec : Number.NaN;
    out.push({
      measure,
      result: http(run),
      baseline: bare ? `bare ${int(bare.reqPerSec)} req/s` : '—',
      ratio: bare ? pct(ratio) : '—',
      target: target === undefined ? '—' : `≥ ${pct(target)}`,
      met: target === undefined || !bare ? null : ratio >= target,
    });
  };
  vsBare('bare `node:http` `GET /health` with the API’s response headers', r.bareHealthDressed);
  vsBare('API `GET /health`', r.apiHealth, 0.7);
  if (r.apiHealth && r.bareHealthDressed) {
    const row = out.at(-1)!;
    row.baseline += `; with its headers ${int(r.bareHealthDressed.reqPerSec)} req/s`;
    row.ratio += ` (of that: ${pct(r.apiHealth.reqPerSec / r.bareHealthDressed.reqPerSec)})`;
  }
  vsBare('lean `node:http` + `pg` `GET /users/me` (same token check, same 2 queries)', r.leanMe);
  vsBare('API `GET /users/me` (Bearer)', r.apiMe, 0.35);
  if (r.apiMe && r.leanMe) {
    const row = out.at(-1)!;
    row.baseline += `; lean ${int(r.leanMe.reqPerSec)} req/s`;
    row.ratio += ` (of lean: ${pct(r.apiMe.reqPerSec / r.leanMe.reqPerSec)})`;
  }
  // Before the access cache, /users/me made these two queries on every request: 2 % of bare.
  vsBare(
    'API `GET /users/me` without the cache (the fallback path, listener down)',
    r.apiMeUncached,
    0.02,
  );
  vsBare('API `GET /notes?pageSize=20`', r.apiNotes);
  if (r.revocation) {
    const v = r.revocation;
    out.push({
      measure: `revocation on instance A refused by instance B (${int(v.revocations)} sessions)`,
      result: `p50 ${ms(v.p50)} · p99 ${ms(v.p99)} · max ${ms(v.max)} (B accepted ${v.meanAcceptedAfter} requests after the logout, on average)`,
      baseline: '—',
      ratio: '—',
      target: 'p99 ≤ 100 ms',
      met: v.p99 <= 100,
    });
  }
  const telemetry = (measure: string, run: HttpRun | undefined, target?: number) => {
    const off = r.telemetryOff;
    if (!run || !off) return;
    const cost = cpuPerRequestUs(run) / cpuPerRequestUs(off) - 1;
    const cpu = (r: HttpRun) => `${cpuPerRequestUs(r).toFixed(1)} µs of CPU a request`;
    out.push({
      measure,
      result: `${cpu(run)} · ${http(run)}`,
      baseline: `off: ${cpu(off)} · ${int(off.reqPerSec)} req/s`,
      ratio: `cost ${pct(cost)}`,
      target: target === undefined ? '—' : `cost ≤ ${pct(target)}`,
      met: target === undefined ? null : cost <= target,
    });
  };
  telemetry('API `GET /users/me`, every request traced (OTLP) and metrics on', r.telemetryOn);
  telemetry(
    'API `GET /users/me`, 10 % of requests traced (OTLP) and metrics on',
    r.telemetrySampled,
    0.05,
  );
  if (r.cacheMemory) {
    const c = r.cacheMemory;
    out.push({
      measure: `access cache memory, ${int(c.sessions)} sessions`,
      result: `${int(c.heapPerSessionBytes)} B of V8 heap per session (${((c.heapPerSessionBytes * c.sessions) / 1024 / 1024).toFixed(1)} MB); RSS ${int(c.rssPerSessionBytes)} B per session`,
      baseline: '—',
      ratio: '—',
      target: '—',
      met: null,
    });
  }
  if (r.nginxMe && 'skipped' in r.nginxMe) {
    out.push({
      measure: 'nginx → API `GET /users/me`',
      result: `skipped: ${r.nginxMe.skipped}`,
      baseline: '—',
      ratio: '—',
      target: 'overhead ≤ 25 %',
      met: null,
    });
  } else if (r.nginxMe) {
    const direct = r.apiMe;
    const overhead = direct ? 1 - r.nginxMe.reqPerSec / direct.reqPerSec : Number.NaN;
    out.push({
      measure: 'nginx → API `GET /users/me`',
      result: http(r.nginxMe),
      baseline: direct ? `direct ${int(direct.reqPerSec)} req/s` : '—',
      ratio: direct ? `overhead ${pct(overhead)}` : '—',
      target: 'overhead ≤ 25 %',
      met: direct ? overhead <= 0.25 : null,
    });
  }
  if (r.storm && r.stormIdle) {
    const ratio = r.storm.p99 / r.stormIdle.p99;
    const l = r.storm.logins;
    out.push({
      measure: `API \`GET /users/me\` p99 during ${options.logins} logins/s (${r.storm.connections} connections)`,
      result: `p99 ${ms(r.storm.p99)} · ${int(r.storm.reqPerSec)} req/s · logins ${l.ok}/${l.logins} ok, p50 ${ms(l.p50)}`,
      baseline: `idle p99 ${ms(r.stormIdle.p99)} · ${int(r.stormIdle.reqPerSec)} req/s`,
      ratio: times(ratio),
      target: '≤ 2×',
      met: ratio <= 2 && l.failed === 0,
    });
  }
  const bareWs = r.bareWs;
  if (bareWs) {
    out.push({
      measure: `bare \`ws\` fan-out, ${int(bareWs.clients)} clients, ${options.rate} events/s (the limit)`,
      result: ws(bareWs.steady),
      baseline: '—',
      ratio: '—',
      target: '—',
      met: null,
    });
    out.push({
      measure: `bare \`ws\` fan-out, as fast as delivered`,
      result: ws(bareWs.max),
      baseline: '—',
      ratio: '—',
      target: '—',
      met: null,
    });
  }
  const apiWs = r.apiWs;
  if (apiWs) {
    const lost = apiWs.steady.expected - apiWs.steady.delivered;
    out.push({
      measure: `API fan-out, ${int(apiWs.clients)} clients, ${options.rate} events/s`,
      result: `${ws(apiWs.steady)}${lost ? ` · ${int(lost)} lost` : ''}`,
      baseline: bareWs ? `bare p99 ${ms(bareWs.steady.p99)}` : '—',
      ratio: bareWs
        ? `${pct(apiWs.steady.deliveredPerSec / bareWs.steady.deliveredPerSec)} of delivered/s`
        : '—',
      target: 'p99 ≤ 50 ms',
      met: apiWs.steady.p99 <= 50 && lost === 0,
    });
    const ratio = bareWs ? apiWs.max.deliveredPerSec / bareWs.max.deliveredPerSec : Number.NaN;
    out.push({
      measure: `API fan-out, as fast as delivered`,
      result: ws(apiWs.max),
      baseline: bareWs ? `bare ${int(bareWs.max.deliveredPerSec)} delivered/s` : '—',
      ratio: bareWs ? pct(ratio) : '—',
      target: '≥ 80 %',
      met: bareWs ? ratio >= 0.8 : null,
    });
    out.push({
      measure: 'API RSS per idle authenticated socket',
      result: `${kb(apiWs.rssPerSocketBytes)} (V8 heap ${kb(apiWs.heapPerSocketBytes)}; ${kb(apiWs.rssRawPerSocketBytes)} before GC; ${int(apiWs.clients)} more: ${kb(apiWs.rssMarginalPerSocketBytes)} each)`,
      baseline: bareWs
        ? `bare \`ws\` ${kb(bareWs.rssPerSocketBytes)} (heap ${kb(bareWs.heapPerSocketBytes)}; ${kb(bareWs.rssRawPerSocketBytes)} before GC; ${int(bareWs.clients)} more: ${kb(bareWs.rssMarginalPerSocketBytes)} each)`
        : '—',
      ratio: bareWs ? times(apiWs.rssPerSocketBytes / bareWs.rssPerSocketBytes) : '—',
      target: '≤ 30 KB',
      met: apiWs.rssPerSocketBytes <= 30 * 1024,
    });
  }
  for (const [where, figures] of [
    ['in the API process', r.jobsInProcess],
    ['in a worker process', r.jobsWorker],
  ] as const) {
    if (!figures) continue;
    out.push({
      measure: `job queued → run, ${where} (${int(figures.jobs)} no-op jobs one at a time)`,
      result: `p50 ${ms(figures.p50)} · p99 ${ms(figures.p99)} · max ${ms(figures.max)}`,
      baseline: '—',
      ratio: '—',
      target: 'p99 ≤ 100 ms',
      met: figures.p99 <= 100,
    });
  }
  if (r.bareQueue) {
    out.push({
      measure: `bare queue: \`INSERT\`, the job, \`DELETE\` in a loop on 5 connections`,
      result: `${int(r.bareQueue.perSecond)} jobs/s (${int(r.bareQueue.jobs)} in ${r.bareQueue.seconds} s)`,
      baseline: '—',
      ratio: '—',
      target: '—',
      met: null,
    });
  }
  if (r.jobsThroughput) {
    const bare = r.bareQueue;
    out.push({
      measure: 'no-op jobs through one worker process (5 at a time), queued at once',
      result: `${int(r.jobsThroughput.perSecond)} jobs/s (${int(r.jobsThroughput.jobs)} in ${r.jobsThroughput.seconds} s)`,
      baseline: bare ? `bare queue ${int(bare.perSecond)} jobs/s` : '—',
      ratio: bare ? pct(r.jobsThroughput.perSecond / bare.perSecond) : '—',
      target: '—',
      met: null,
    });
  }
  if (r.coldStart) {
    out.push({
      measure: 'API cold start (spawn → `/health/ready` 200)',
      result: `${int(r.coldStart.medianMs)} ms median (${r.coldStart.runsMs.map(int).join(', ')})`,
      baseline: '—',
      ratio: '—',
      target: '≤ 1,500 ms',
      met: r.coldStart.medianMs <= 1500,
    });
  }
  return out;
}

export function markdown(table: Row[]): string {
  const mark = (met: boolean | null) => (met === null ? '' : met ? '✓' : '✗');
  const lines = [
    '| Measure | Result | Baseline (same run) | Ratio | Target | |',
    '| --- | --- | --- | --- | --- | --- |',
    ...table.map(
      (r) =>
        `| ${r.measure} | ${r.result} | ${r.baseline} | ${r.ratio} | ${r.target} | ${mark(r.met)} |`,
    ),
  ];
  return lines.join('\n');
}

/** Where the cores went in each run: a second, smaller table. */
export function coresTable(r: Results): string {
  const runs: [string, Record<string, number> | undefined][] = [
    ['bare `GET /health`', r.bareHealth?.cores],
    ['bare, API’s headers', r.bareHealthDressed?.cores],
    ['lean `GET /users/me`', r.leanMe?.cores],
    ['API `GET /health`', r.apiHealth?.cores],
    ['API `GET /users/me`', r.apiMe?.cores],
    ['API `GET /notes`', r.apiNotes?.cores],
    ['API `/users/me`, no cache', r.apiMeUncached?.cores],
    ['API `/users/me`, telemetry off', r.telemetryOff?.cores],
    ['API `/users/me`, all traced + metrics', r.telemetryOn?.cores],
    ['API `/users/me`, 10 % traced + metrics', r.telemetrySampled?.cores],
    ['nginx → `GET /users/me`', r.nginxMe && 'cores' in r.nginxMe ? r.nginxMe.cores : undefined],
    ['`/users/me`, idle', r.stormIdle?.cores],
    ['`/users/me`, logins', r.storm?.cores],
    ['bare `ws`, steady', r.bareWs?.steady.cores],
    ['bare `ws`, max', r.bareWs?.max.cores],
    ['API fan-out, steady', r.apiWs?.steady.cores],
    ['API fan-out, max', r.apiWs?.max.cores],
  ];
  const present = runs.filter((run): run is [string, Record<string, number>] => !!run[1]);
  if (present.length === 0) return 'none in this run';
  const columns = [...new Set(present.flatMap(([, c]) => Object.keys(c)))];
  return [
    `| Run | ${columns.join(' | ')} |`,
    `| --- | ${columns.map(() => '---').join(' | ')} |`,
    ...present.map(
      ([name, c]) =>
        `| ${name} | ${columns.map((k) => (k in c ? c[k]!.toFixed(2) : '')).join(' | ')} |`,
    ),
  ].join('\n');
}
