/**
 * `pnpm bench`: the API's speed against the limit of this machine, every figure beside its
 * baseline measured in the same run (see USAGE and docs/performance.md).
 */
/* eslint-disable no-console -- a command-line tool: the console is its output */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { styleText } from 'node:util';
import { findNginx, workerProcess } from '@repo/stack';
import { argumentError, commandLine, freePort, positiveNumber } from '@repo/test-support';
import { cacheMemory, makeSessions, revocationPropagation, userIdOf } from './access-cache.js';
import { type ApiUnderTest, benchUser, startApi } from './api.js';
import { API_DIR, ROOT, startBareServer } from './children.js';
import { coldStarts } from './cold-start.js';
import { type CpuGroups, measureCpu, postmasterPid } from './cpu.js';
import { fanout, type FanoutOptions } from './fanout.js';
import { load, type LoadOptions } from './http-load.js';
import { bareQueueThroughput, engineThroughput, jobLatency } from './jobs.js';
import { machine } from './machine.js';
import { startProxy } from './nginx.js';
import { type ProfileSummary, summariseProfile } from './profile.js';
import {
  coresTable,
  cpuPerRequestUs,
  type HttpRun,
  markdown,
  type Results,
  rows,
} from './report.js';
import { loginStorm } from './storm.js';
import { startOtlpSink } from './telemetry.js';

const SECTIONS = ['http', 'nginx', 'storm', 'cache', 'telemetry', 'ws', 'jobs', 'cold'] as const;
type Section = (typeof SECTIONS)[number];
/** Rounds of the telemetry section (see there). */
const TELEMETRY_ROUNDS = 5;
/** Notes the user has: `GET /notes?pageSize=20` returns a full page of 20. */
const NOTES = 25;
/** Jobs the API's worker runs at once (JOBS_CONCURRENCY's default): the bare queue's connections. */
const JOB_CONCURRENCY = 5;

const USAGE = `
The API's speed against the limit of this machine, every figure beside its baseline measured in
the same run. Builds the API, starts what it measures (PostgreSQL, the API from dist, nginx, the
bare baselines) in child processes, drives them from this process, prints a markdown table and
writes bench-results/<timestamp>.json and bench-results/latest.json. docs/performance.md explains
each row.

Usage:
  pnpm bench [--quick] [--duration S] [--warmup S] [--connections N]
             [--storm-connections N] [--logins N] [--clients N] [--rate N] [--ws-seconds S]
             [--max-seconds S] [--window N] [--revocations N] [--cached-sessions N]
             [--cold-starts N] [--pings N] [--jobs N]
             [--only http,nginx,storm,cache,telemetry,ws,jobs,cold]
             [--log-level LEVEL]
             [--profile] [--no-build]
`;

function readOptions() {
  const values = commandLine(USAGE, {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '50' },
    clients: { type: 'string' },
    rate: { type: 'string', default: '20' },
    'ws-seconds': { type: 'string' },
    'max-seconds': { type: 'string' },
    window: { type: 'string', default: '8' },
    logins: { type: 'string', default: '20' },
    'storm-connections': { type: 'string', default: '10' },
    revocations: { type: 'string' },
    'cached-sessions': { type: 'string' },
    'cold-starts': { type: 'string' },
    pings: { type: 'string' },
    jobs: { type: 'string' },
    only: { type: 'string', default: SECTIONS.join(',') },
    'log-level': { type: 'string', default: 'warn' },
    profile: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  });
  const quick = values.quick;
  const only = values.only.split(',').map((s) => s.trim());
  for (const section of only) {
    if (!SECTIONS.includes(section as Section))
      argumentError(`--only takes a comma list of ${SECTIONS.join(', ')}`);
  }
  return {
    quick,
    durationS: positiveNumber(values.duration, quick ? 3 : 10, 'duration'),
    warmupS: positiveNumber(values.warmup, quick ? 1 : 2, 'warmup'),
    connections: positiveNumber(values.connections, 50, 'connections'),
    clients: positiveNumber(values.clients, quick ? 200 : 1000, 'clients'),
    rate: positiveNumber(values.rate, 20, 'rate'),
    wsSeconds: positiveNumber(values['ws-seconds'], quick ? 3 : 10, 'ws-seconds'),
    maxSeconds: positiveNumber(values['max-seconds'], quick ? 2 : 5, 'max-seconds'),
    window: positiveNumber(values.window, 8, 'window'),
    logins: positiveNumber(values.logins, 20, 'logins'),
    stormConnections: positiveNumber(values['storm-connections'], 10, 'storm-connections'),
    revocations: positiveNumber(values.revocations, quick ? 50 : 200, 'revocations'),
    cachedSessions: positiveNumber(
      values['cached-sessions'],
      quick ? 10_000 : 100_000,
      'cached-sessions',
    ),
    coldStarts: positiveNumber(values['cold-starts'], quick ? 3 : 5, 'cold-starts'),
    pings: positiveNumber(values.pings, quick ? 50 : 300, 'pings'),
    jobs: positiveNumber(values.jobs, quick ? 1_000 : 5_000, 'jobs'),
    only: new Set(only as Section[]),
    logLevel: values['log-level'],
    profile: values.profile,
    build: !values['no-build'],
  };
}

type Options = ReturnType<typeof readOptions>;

const step = (text: string) => console.error(styleText('bold', `==> ${text}`));
const info = (text: string) => console.error(`    ${text}`);

async function httpRun(cpu: CpuGroups, options: LoadOptions): Promise<HttpRun> {
  const { result, cores } = await measureCpu(cpu, () => load(options));
  info(
    `${Math.round(result.reqPerSec)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms` +
      (result.non2xx || result.errors ? `, ${result.non2xx} non-2xx, ${result.errors} errors` : ''),
  );
  return { ...result, cores };
}

/** The run whose requests took the median CPU time. */
function medianRun(runs: HttpRun[]): HttpRun {
  return [...runs].sort((a, b) => cpuPerRequestUs(a) - cpuPerRequestUs(b))[
    Math.floor(runs.length / 2)
  ]!;
}

async function profiles(dir: string): Promise<Record<string, ProfileSummary>> {
  const out: Record<string, ProfileSummary> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    if (name.endsWith('.cpuprofile')) out[name] = await summariseProfile(join(dir, name));
  }
  return out;
}

/** Headers a bare server sends anyway (node:http's own, and its content type and length). */
const BARE_SENDS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'content-type']);

/** The headers of the API's `/health` answer that a bare server does not send of itself. */
async function healthHeaders(baseUrl: string): Promise<[string, string][]> {
  const res = await fetch(`${baseUrl}/health`);
  await res.arrayBuffer();
  return [...res.headers].filter(([name]) => !BARE_SENDS.has(name));
}

async function run(options: Options, results: Results, cleanup: (() => Promise<void>)[]) {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const profileDir = join(ROOT, 'bench-results', 'profiles', stamp);
  const nodeOptions = (name: string, ...more: string[]): Record<string, string> => {
    const flags = [
      ...(options.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`] : []),
      ...more,
    ];
    return flags.length ? { NODE_OPTIONS: flags.join(' ') } : {};
  };

  step('PostgreSQL, the migrations, the API from dist, a verified user with notes');
  const api: ApiUnderTest = await startApi({
    clients: options.clients,
    logLevel: options.logLevel,
    extraEnv: nodeOptions('api'),
  });
  cleanup.push(() => api.stop());
  const user = await benchUser(api.baseUrl, NOTES);
  const postgres = await postmasterPid(api.pgDir);
  const apiCpu: CpuGroups = {
    server: [api.api.service.pid!],
    postgres: postgres ? [postgres] : [],
  };
  const bearer = { authorization: `Bearer ${user.accessToken}` };
  const http = (
    url: string,
    headers?: Record<string, string>,
    connections = options.connections,
  ) => ({
    url,
    headers,
    connections,
    durationS: options.durationS,
    warmupS: options.warmupS,
  });
  const what = (text: string, connections = options.connections) =>
    step(
      `${text}: ${options.durationS} s at ${connections} connections (after ${options.warmupS} s of warm-up)`,
    );

  if (options.only.has('http')) {
    const version = (
      JSON.parse(readFileSync(join(API_DIR, 'package.json'), 'utf8')) as { version: string }
    ).version;
    const bare = await startBareServer('bare-http', {
      APP_VERSION: version,
      DATABASE_URL: api.databaseUrl,
      JWT_ACCESS_SECRET: api.env.JWT_ACCESS_SECRET!,
      JWT_ISSUER: api.env.JWT_ISSUER!,
      JWT_AUDIENCE: api.env.JWT_AUDIENCE!,
    });
    cleanup.push(() => bare.service.stop());
    what('bare node:http GET /health');
    results.bareHealth = await httpRun(
      { server: [bare.pid] },
      http(`http://127.0.0.1:${bare.port}/api/v1/health`),
    );
    what('lean node:http + pg GET /users/me (the same token check and queries)');
    results.leanMe = await httpRun(
      { server: [bare.pid], postgres: apiCpu.postgres! },
      http(`http://127.0.0.1:${bare.port}/api/v1/users/me`, bearer),
    );
    await bare.service.stop();
    const apiHeaders = await healthHeaders(api.baseUrl);
    const dressed = await startBareServer('bare-http', {
      APP_VERSION: version,
      RESPONSE_HEADERS: JSON.stringify(apiHeaders),
    });
    cleanup.push(() => dressed.service.stop());
    what(`bare node:http GET /health with the API's ${apiHeaders.length} headers`);
    results.bareHealthDressed = await httpRun(
      { server: [dressed.pid] },
      http(`http://127.0.0.1:${dressed.port}/api/v1/health`),
    );
    await dressed.service.stop();
    what('API GET /health');
    results.apiHealth = await httpRun(apiCpu, http(`${api.baseUrl}/health`));
    what(`API GET /notes?pageSize=20 (${NOTES} notes)`);
    results.apiNotes = await httpRun(apiCpu, http(`${api.baseUrl}/notes?pageSize=20`, bearer));
    what('API GET /users/me');
    results.apiMe = await httpRun(apiCpu, http(`${api.baseUrl}/users/me`, bearer));
  }

  if (options.only.has('nginx')) {
    let nginx: string | undefined;
    try {
      nginx = findNginx();
    } catch (error) {
      results.nginxMe = { skipped: (error as Error).message.split(':')[0]! };
      info(`skipped: ${(error as Error).message}`);
    }
    if (nginx) {
      if (!results.apiMe) {
        what('API GET /users/me');
        results.apiMe = await httpRun(apiCpu, http(`${api.baseUrl}/users/me`, bearer));
      }
      const proxy = await startProxy(api.api.port);
      cleanup.push(() => proxy.stop());
      what('nginx → API GET /users/me');
      results.nginxMe = await httpRun(
        { ...apiCpu, nginx: [proxy.service.pid!] },
        http(`${proxy.url}/api/v1/users/me`, bearer),
      );
      await proxy.stop();
    }
  }

  if (options.only.has('storm')) {
    const me = http(`${api.baseUrl}/users/me`, bearer, options.stormConnections);
    what('API GET /users/me, idle', options.stormConnections);
    results.stormIdle = await httpRun(apiCpu, me);
    what(`API GET /users/me with ${options.logins} logins/s`, options.stormConnections);
    // Warm-up first, then the logins start with the measured run.
    await load({ ...me, durationS: options.warmupS, warmupS: 0 });
    const { result, cores } = await measureCpu(apiCpu, () =>
      Promise.all([
        load({ ...me, warmupS: 0 }),
        loginStorm({
          url: `${api.baseUrl}/auth/login`,
          email: user.email,
          password: user.password,
          perSecond: options.logins,
          durationS: options.durationS,
        }),
      ]),
    );
    const [meRun, logins] = result;
    results.storm = { ...meRun, cores, logins };
    info(
      `${Math.round(meRun.reqPerSec)} req/s, p50 ${meRun.p50} ms, p99 ${meRun.p99} ms; ` +
        `logins ${logins.ok}/${logins.logins} ok, p50 ${logins.p50} ms, p99 ${logins.p99} ms`,
    );
  }

  if (options.only.has('cache')) {
    // Every lookup going to the database: what an instance does while its listener is down.
    what('API GET /users/me without the access cache (ACCESS_CACHE_MAX=0: the fallback path)');
    const uncached = await api.another('api-uncached', {
      ACCESS_CACHE_MAX: '0',
      ...nodeOptions('api-uncached'),
    });
    await uncached.start();
    results.apiMeUncached = await httpRun(
      { server: [uncached.service.pid!], postgres: apiCpu.postgres! },
      http(`${uncached.url}/api/v1/users/me`, bearer),
    );
    await uncached.service.stop();

    step(`revocation propagation: ${options.revocations} sessions ended on A, refused by B`);
    const userId = userIdOf(user.accessToken);
    const b = await api.another('api-b');
    await b.start();
    results.revocation = await revocationPropagation(
      api.api,
      b,
      await makeSessions(api.databaseUrl, api.env, userId, options.revocations),
    );
    info(
      `p50 ${results.revocation.p50} ms, p99 ${results.revocation.p99} ms, max ${results.revocation.max} ms`,
    );
    await b.service.stop();

    step(`access cache memory: ${options.cachedSessions} sessions, each served once`);
    const inspectPort = await freePort();
    const holder = await api.another('api-cache', {
      NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}`,
    });
    await holder.start();
    results.cacheMemory = await cacheMemory(
      holder,
      inspectPort,
      await makeSessions(api.databaseUrl, api.env, userId, options.cachedSessions),
    );
    info(
      `${results.cacheMemory.heapPerSessionBytes} B of heap, ${results.cacheMemory.rssPerSessionBytes} B of RSS per session`,
    );
    await holder.service.stop();
  }

  if (options.only.has('telemetry')) {
    // The same API three ways: tracing and metrics off (the default); on, every request traced
    // (the sampler's worst case); on, a tenth traced. Each run on a fresh process that runs
    // alone, the three in turns for TELEMETRY_ROUNDS rounds, each figure the median of its
    // rounds. The cost is judged on the API's CPU time per request, not on req/s, and on many
    // rounds: on these virtual machines two identical processes differ by up to 15 %.
    const sink = await startOtlpSink();
    cleanup.push(() => sink.close());
    const traced = (ratio: string) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      OTEL_TRACES_SAMPLER_ARG: ratio,
    });
    const variants = [
      { name: 'api-plain', label: 'tracing and metrics off', env: {} as Record<string, string> },
      { name: 'api-traced-all', label: 'every request traced, metrics on', env: traced('1') },
      { name: 'api-traced-tenth', label: 'a tenth traced, metrics on', env: traced('0.1') },
    ].map((v) => ({ ...v, runs: [] as HttpRun[] }));
    for (let round = 1; round <= TELEMETRY_ROUNDS; round++) {
      for (const variant of variants) {
        const replica = await api.another(variant.name, {
          ...variant.env,
          ...(variant.env.OTEL_EXPORTER_OTLP_ENDPOINT
            ? { METRICS_PORT: String(await freePort()) }
            : {}),
          ...nodeOptions(variant.name),
        });
        await replica.start();
        what(`round ${round}/${TELEMETRY_ROUNDS}: API GET /users/me, ${variant.label}`);
        variant.runs.push(
          await httpRun(
            { server: [replica.service.pid!], postgres: apiCpu.postgres! },
            http(`${replica.url}/api/v1/users/me`, bearer),
          ),
        );
        // Stopping a traced one flushes its last spans.
        await replica.service.stop();
      }
    }
    if (sink.exports === 0) throw new Error('The traced APIs exported no span: the rows are void');
    info(`${sink.exports} OTLP exports received`);
    await sink.close();
    const [off, all, tenth] = variants.map((v) => medianRun(v.runs));
    results.telemetryOff = off;
    results.telemetryOn = all;
    results.telemetrySampled = tenth;
  }

  if (options.only.has('ws')) {
    const ws = (
      wsUrl: string,
      pid: number,
      inspectPort: number,
      cpu: CpuGroups,
    ): FanoutOptions => ({
      wsUrl,
      pid,
      inspectPort,
      cpu,
      token: user.accessToken,
      clients: options.clients,
      rate: options.rate,
      seconds: options.wsSeconds,
      maxSeconds: options.maxSeconds,
      window: options.window,
    });
    const describe = `${options.clients} clients, ${options.rate} events/s for ${options.wsSeconds} s, then ${options.window} in flight for ${options.maxSeconds} s`;
    step(`bare ws fan-out: ${describe}`);
    // The inspector only to trigger a full GC before reading RSS (see fanout.ts).
    const bareInspect = await freePort();
    const bare = await startBareServer('bare-ws', {}, [`--inspect=127.0.0.1:${bareInspect}`]);
    cleanup.push(() => bare.service.stop());
    results.bareWs = await fanout(
      ws(`ws://127.0.0.1:${bare.port}/ws`, bare.pid, bareInspect, { server: [bare.pid] }),
    );
    logFanout(results.bareWs);
    await bare.service.stop();

    step(`API fan-out (a fresh API process): ${describe}`);
    const apiInspect = await freePort();
    const wsApi = await api.another(
      'api-ws',
      nodeOptions('api-ws', `--inspect=127.0.0.1:${apiInspect}`),
    );
    await wsApi.start();
    results.apiWs = await fanout(
      ws(`ws://127.0.0.1:${wsApi.port}/ws`, wsApi.service.pid!, apiInspect, {
        server: [wsApi.service.pid!],
        postgres: apiCpu.postgres!,
      }),
    );
    logFanout(results.apiWs);
    await wsApi.service.stop();
  }

  if (options.only.has('jobs')) {
    const latency = async (where: string) => {
      step(`job engine: ${options.pings} no-op jobs one at a time, queued → run, ${where}`);
      const figures = await jobLatency(api.databaseUrl, options.pings);
      info(`p50 ${figures.p50} ms, p99 ${figures.p99} ms, max ${figures.max} ms`);
      return figures;
    };
    results.jobsInProcess = await latency('in the API process');
    // From here a worker process of its own takes every job: the API, whose worker would take
    // some, stops.
    await api.api.service.stop();
    const worker = workerProcess('worker', 'dist', {
      ...api.env,
      JOBS_CONCURRENCY: String(JOB_CONCURRENCY),
    });
    cleanup.push(() => worker.stop());
    worker.start();
    results.jobsWorker = await latency('in a worker process');
    step(`job engine: ${options.jobs} no-op jobs queued at once, through that one worker`);
    results.jobsThroughput = await engineThroughput(api.databaseUrl, options.jobs);
    info(`${results.jobsThroughput.perSecond} jobs/s`);
    await worker.stop();
    step(
      `bare queue: ${options.jobs} jobs, ${JOB_CONCURRENCY} connections each writing, running and deleting one`,
    );
    results.bareQueue = await bareQueueThroughput(api.databaseUrl, options.jobs, JOB_CONCURRENCY);
    info(`${results.bareQueue.perSecond} jobs/s`);
  }

  if (options.only.has('cold')) {
    step(`API cold start: ${options.coldStarts} starts, spawn → /health/ready 200`);
    // Nothing else runs meanwhile.
    await api.api.service.stop();
    results.coldStart = await coldStarts(api, options.coldStarts);
    info(`${results.coldStart.runsMs.join(' ms, ')} ms`);
  }

  await api.stop();
  return {
    stamp,
    apiEnv: api.env,
    profiles: options.profile ? await profiles(profileDir) : undefined,
    profileDir,
  };
}

function logFanout(f: Awaited<ReturnType<typeof fanout>>) {
  info(
    `${f.clients} sockets ready in ${f.connectS} s; RSS ${(f.rssPerSocketBytes / 1024).toFixed(1)} KB per socket ` +
      `after a full GC (${(f.rssRawPerSocketBytes / 1024).toFixed(1)} KB before it), ` +
      `of which V8 heap ${(f.heapPerSocketBytes / 1024).toFixed(1)} KB; ` +
      `${(f.rssMarginalPerSocketBytes / 1024).toFixed(1)} KB each for ${f.clients} more`,
  );
  for (const [name, p] of [
    ['steady', f.steady],
    ['max', f.max],
  ] as const) {
    info(
      `${name}: ${p.published} published, ${p.delivered}/${p.expected} delivered, ` +
        `${p.deliveredPerSec} delivered/s, p50 ${p.p50} ms, p99 ${p.p99} ms`,
    );
  }
  if (Object.keys(f.closedEarly).length)
    info(`closed early (by code): ${JSON.stringify(f.closedEarly)}`);
}

/** "other" cores (see cpu.ts) above which a run was disturbed by another program. */
const DISTURBED_CORES = 0.25;

function maxOther(results: Results): number {
  const all: (Record<string, number> | undefined)[] = [
    results.bareHealth?.cores,
    results.bareHealthDressed?.cores,
    results.leanMe?.cores,
    results.apiHealth?.cores,
    results.apiMe?.cores,
    results.apiNotes?.cores,
    results.apiMeUncached?.cores,
    results.telemetryOff?.cores,
    results.telemetryOn?.cores,
    results.telemetrySampled?.cores,
    results.nginxMe && 'cores' in results.nginxMe ? results.nginxMe.cores : undefined,
    results.stormIdle?.cores,
    results.storm?.cores,
    results.bareWs?.steady.cores,
    results.bareWs?.max.cores,
    results.apiWs?.steady.cores,
    results.apiWs?.max.cores,
  ];
  return Math.max(0, ...all.map((c) => c?.other ?? 0));
}

/** Settings the report shows: what differs from the API's defaults, secrets left out. */
const SHOWN_SETTINGS =
  /^(NODE_ENV|LOG_|RATE_LIMIT_|WS_|REALTIME_BUS|CORS_MODE|ACCESS_TOKEN_TTL|ACCESS_CACHE_MAX)/;

async function main() {
  const options = readOptions();
  const host = machine();
  step(
    `Machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB, Node ${host.node}, ${host.os}`,
  );
  if (host.loadAtStart > 0.5)
    info(
      styleText(
        'yellow',
        `load average ${host.loadAtStart}: if something else is still running, the figures will be ` +
          'lower (the "other" column of the cores table says)',
      ),
    );
  if (options.build) {
    step('Building the API (turbo)');
    execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@repo/api'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }

  const results: Results = {};
  const cleanup: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of cleanup.reverse()) await stop().catch(() => undefined);
    cleanup.length = 0;
  };
  process.once('SIGINT', () => {
    console.error('\nInterrupted: stopping what the benchmark started…');
    void stopAll().then(() => process.exit(130));
  });
  let outcome;
  try {
    outcome = await run(options, results, cleanup);
  } finally {
    await stopAll();
  }

  const table = rows(results, options);
  const text = markdown(table);
  console.log(
    `\n${text}\n\nCores busy during each run (1.00 = one core):\n\n${coresTable(results)}\n`,
  );
  const disturbed = maxOther(results) > DISTURBED_CORES;
  if (disturbed) {
    console.log(
      styleText(
        'yellow',
        `Other programs used up to ${maxOther(results).toFixed(2)} cores during a run ("other" above): ` +
          'these figures are lower than this machine can do. Run again when it is idle.\n',
      ),
    );
  }
  if (outcome.profiles) {
    for (const [file, summary] of Object.entries(outcome.profiles)) {
      console.log(
        `Profile ${file} (${summary.busyMs} ms busy, ${summary.idlePct} % idle), self time:`,
      );
      for (const p of summary.byPackage.slice(0, 12))
        console.log(`  ${p.pct.toFixed(1).padStart(5)} %  ${p.name}`);
    }
    console.log(`\nProfiles (open in Chrome DevTools): ${outcome.profileDir}\n`);
  }

  const dir = join(ROOT, 'bench-results');
  await mkdir(dir, { recursive: true });
  const record = {
    timestamp: new Date().toISOString(),
    machine: host,
    options: { ...options, only: [...options.only] },
    apiSettings: Object.fromEntries(
      Object.entries(outcome.apiEnv).filter(([key]) => SHOWN_SETTINGS.test(key)),
    ),
    results,
    rows: table,
    table: text,
    cores: coresTable(results),
    disturbed,
    ...(outcome.profiles ? { profiles: outcome.profiles } : {}),
  };
  const json = `${JSON.stringify(record, null, 2)}\n`;
  await writeFile(join(dir, `${outcome.stamp}.json`), json);
  await writeFile(join(dir, 'latest.json'), json);
  console.error(`Written: bench-results/${outcome.stamp}.json (and latest.json)`);
}

main().catch((error: unknown) => {
  console.error(
    styleText('red', error instanceof Error ? (error.stack ?? error.message) : String(error)),
  );
  process.exit(1);
});
