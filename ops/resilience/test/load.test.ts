import { collectGarbage, disposeClients, freePort, verifiedUser } from '@repo/test-support';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rssMb, startApi, type TestApi } from './support/api.js';
import { report } from './support/report.js';

/**
 * Load: 20,000 mixed requests at 50 connections against one API process on its own PostgreSQL,
 * twice. No request may fail in transport or with a 5xx, and the second round must not leave the
 * process holding more than the first did: its heap after a full collection (a leak grows with every
 * request). RSS is reported, not judged: the allocator keeps pages it got under load, so it grows
 * and shrinks with the machine's mood, not with what the process holds.
 */

const REQUESTS = 20_000;
const CONNECTIONS = 50;
const USERS = 5;

/** What one connection sends, in a loop; each loop acts as one of the users. */
const KINDS = [
  'POST /notes',
  'PATCH /notes/:id',
  'GET /notes/:id',
  'GET /health',
  'GET /users/me',
  'GET /notes',
  'POST /notes (invalid)',
  'GET /notes/not-a-uuid',
] as const;
type Kind = (typeof KINDS)[number];
/** The one status each kind must get. */
const EXPECTED: Record<Kind, number> = {
  'POST /notes': 201,
  'PATCH /notes/:id': 200,
  'GET /notes/:id': 200,
  'GET /health': 200,
  'GET /users/me': 200,
  'GET /notes': 200,
  'POST /notes (invalid)': 400,
  'GET /notes/not-a-uuid': 400,
};

interface Context {
  token?: string;
  note?: { id: string; version: number };
}

interface Round {
  result: autocannon.Result;
  /** Status counts per kind of request. */
  byKind: Record<Kind, Record<number, number>>;
  /** The V8 heap in use after a full collection, and the process's RSS then. */
  heapMb: number;
  rssMb: number;
}

describe('load: mixed requests at 50 connections', () => {
  let api: TestApi;
  let inspectPort: number;
  let tokens: string[];
  const rounds: Round[] = [];

  beforeAll(async () => {
    inspectPort = await freePort();
    api = await startApi({ NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}` });
    tokens = [];
    for (let i = 0; i < USERS; i++) tokens.push((await verifiedUser(api.apiUrl)).accessToken);
    report(`load: API RSS ${await rssMb(api.pid)} MB once started, before any load`);
  });
  afterAll(async () => {
    disposeClients();
    await api?.stop();
  });

  async function round(): Promise<Round> {
    const byKind = Object.fromEntries(KINDS.map((k) => [k, {}])) as Round['byKind'];
    let loops = 0;
    const count = (kind: Kind) => (status: number) => {
      byKind[kind][status] = (byKind[kind][status] ?? 0) + 1;
    };
    const json = { 'content-type': 'application/json' };
    const auth = (context: object, extra: Record<string, string> = {}) => ({
      authorization: `Bearer ${(context as Context).token!}`,
      ...extra,
    });
    const requests: autocannon.Request[] = [
      {
        method: 'POST',
        path: '/api/v1/notes',
        setupRequest: (req, context) => {
          // A new loop: act as the next user.
          (context as Context).token = tokens[loops++ % tokens.length];
          return {
            ...req,
            headers: auth(context, json),
            body: JSON.stringify({ title: `load ${loops}`, body: 'x'.repeat(200) }),
          };
        },
        onResponse: (status, body, context) => {
          count('POST /notes')(status);
          if (status === 201) {
            const note = JSON.parse(body) as { id: string; version: number };
            (context as Context).note = { id: note.id, version: note.version };
          }
        },
      },
      {
        method: 'PATCH',
        setupRequest: (req, context) => {
          const note = (context as Context).note;
          return {
            ...req,
            path: `/api/v1/notes/${note?.id ?? '00000000-0000-4000-8000-000000000000'}`,
            headers: auth(context, json),
            body: JSON.stringify({ title: 'load (edited)', version: note?.version ?? 1 }),
          };
        },
        onResponse: (status) => count('PATCH /notes/:id')(status),
      },
      {
        method: 'GET',
        setupRequest: (req, context) => ({
          ...req,
          path: `/api/v1/notes/${(context as Context).note?.id ?? '00000000-0000-4000-8000-000000000000'}`,
          headers: auth(context),
        }),
        onResponse: (status) => count('GET /notes/:id')(status),
      },
      {
        method: 'GET',
        path: '/api/v1/health',
        onResponse: (status) => count('GET /health')(status),
      },
      {
        method: 'GET',
        path: '/api/v1/users/me',
        setupRequest: (req, context) => ({ ...req, headers: auth(context) }),
        onResponse: (status) => count('GET /users/me')(status),
      },
      {
        method: 'GET',
        path: '/api/v1/notes?pageSize=20',
        setupRequest: (req, context) => ({ ...req, headers: auth(context) }),
        onResponse: (status) => count('GET /notes')(status),
      },
      {
        method: 'POST',
        path: '/api/v1/notes',
        setupRequest: (req, context) => ({
          ...req,
          headers: auth(context, json),
          body: JSON.stringify({ title: '', extra: true }),
        }),
        onResponse: (status) => count('POST /notes (invalid)')(status),
      },
      {
        method: 'GET',
        path: '/api/v1/notes/not-a-uuid',
        setupRequest: (req, context) => ({ ...req, headers: auth(context) }),
        onResponse: (status) => count('GET /notes/not-a-uuid')(status),
      },
    ];
    const result = await autocannon({
      url: api.origin,
      connections: CONNECTIONS,
      amount: REQUESTS,
      timeout: 10,
      requests,
    });
    const heap = await collectGarbage(inspectPort);
    const heapMb = Math.round((heap.usedSize / 1024 / 1024) * 10) / 10;
    const rss = await rssMb(api.pid);
    const statuses = Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([s, v]) => [s, v.count]),
    );
    report(
      `load round ${rounds.length + 1}: ${result.requests.total} requests in ` +
        `${result.duration.toFixed(1)} s (${Math.round(result.requests.average)} req/s), ` +
        `latency p50 ${result.latency.p50} ms p99 ${result.latency.p99} ms max ${result.latency.max} ms; ` +
        `errors ${result.errors}, timeouts ${result.timeouts}, statuses ${JSON.stringify(statuses)}; ` +
        `API heap after GC ${heapMb} MB, RSS ${rss} MB`,
    );
    return { result, byKind, heapMb, rssMb: rss };
  }

  /** Every kind got its one expected status, and nothing failed in transport. */
  function expectClean({ result, byKind }: Round) {
    expect(result.errors, 'transport errors').toBe(0);
    expect(result.timeouts, 'timeouts').toBe(0);
    expect(result['5xx'], '5xx responses').toBe(0);
    expect(result.resets, 'pipeline resets').toBe(0);
    expect(api.replica.service.running, 'the API process is up').toBe(true);
    const total = Object.values(byKind)
      .flatMap((statuses) => Object.values(statuses))
      .reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(REQUESTS);
    for (const kind of KINDS) {
      expect(Object.keys(byKind[kind]), kind).toEqual([String(EXPECTED[kind])]);
    }
  }

  it(`round 1: ${REQUESTS} requests, no transport error, no 5xx, each kind its status`, async () => {
    rounds.push(await round());
    expectClean(rounds[0]!);
  });

  it('round 2: the same, and the API heap is no more than 10 % bigger (no leak)', async () => {
    expect(rounds).toHaveLength(1);
    rounds.push(await round());
    expectClean(rounds[1]!);
    const [first, second] = rounds as [Round, Round];
    const growth = (second.heapMb - first.heapMb) / first.heapMb;
    report(
      `load heap after GC: ${first.heapMb} MB after round 1, ${second.heapMb} MB after round 2 ` +
        `(${(growth * 100).toFixed(1)} %); RSS ${first.rssMb} → ${second.rssMb} MB`,
    );
    expect(growth).toBeLessThanOrEqual(0.1);
  });
});
