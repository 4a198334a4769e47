import {
  changedTables,
  featureScenarios,
  refusalRecords,
  type ScenarioRequest,
  type Snapshot,
  snapshotter,
  successes,
  World,
} from '@repo/api/scenarios';
import { buildPath } from '@repo/client';
import {
  contract,
  type Endpoint,
  endpointsOf,
  type ProblemCode,
  problemsOf,
} from '@repo/contracts';
import { disposeClients, jsonSchemaOf, verifiedUser } from '@repo/test-support';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from './support/api.js';
import { arbitraryOf, mutantOf, parseQuery, queryOf } from './support/arbitraries.js';
import { parseProblem } from './support/problem.js';
import { report } from './support/report.js';

/**
 * Fuzz: for every endpoint of the contracts that takes a body or a query, bodies generated from
 * its schema (valid ones, then mutated ones) against a real API process, authenticated where the
 * endpoint needs it. Never a 5xx; every 4xx is a problem of the contracts; invalid input is
 * refused as such; and a refused request changes no row (every table's count and checksum is
 * taken after each request). Runs are bounded and seeded: FUZZ_SEED, FUZZ_RUNS to replay or
 * widen a run.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);
/** Runs per endpoint and kind: valid inputs, then as many mutated ones again. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const INVALID_CODES: ProblemCode[] = ['validation_failed', 'malformed_json', 'payload_too_large'];

const fuzzed = endpointsOf(contract)
  .map((e): [string, Endpoint] => [e.id, e])
  .filter(([, e]) => e.body !== undefined || e.query !== undefined);

interface Tally {
  sent: number;
  statuses: Record<string, number>;
}

describe('fuzz: generated and mutated input against every endpoint with a body or query', () => {
  let api: TestApi;
  let world: World;
  let accessToken: string;
  /** The request of each endpoint's success scenario: who sends, to which path parameters. */
  const samples = new Map<string, ScenarioRequest>();
  /** Tables where an endpoint records its refusals (a wrong code counts as a try). */
  let recordsRefusals = new Map<string, readonly string[]>();
  let snap: Awaited<ReturnType<typeof snapshotter>>;
  let before: Snapshot;
  const tallies: Record<string, Tally> = {};

  beforeAll(async () => {
    api = await startApi();
    const user = await verifiedUser(api.apiUrl);
    accessToken = user.accessToken;
    world = new World({ api: api.apiUrl });
    const scenarios = await featureScenarios();
    recordsRefusals = refusalRecords(scenarios);
    for (const [id, success] of successes(scenarios)) {
      if (fuzzed.some(([name]) => name === id)) samples.set(id, await success.request(world));
    }
    snap = await snapshotter(api.databaseUrl);
    before = await snap.take();
    report(`fuzz: seed ${SEED}, ${RUNS} valid + ${RUNS} mutated inputs per endpoint`);
  });
  afterAll(async () => {
    disposeClients();
    await snap?.close();
    await api?.stop();
    const rows = Object.entries(tallies).map(
      ([name, t]) =>
        `${name} ${t.sent} (${Object.entries(t.statuses)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')})`,
    );
    report(`fuzz: requests per endpoint and status\n  ${rows.join('\n  ')}`);
  });

  /**
   * Sends one input and checks its answer; what is wrong with it, if anything. `valid`: what the
   * endpoint's zod schema says of the input.
   */
  async function exchange(
    name: string,
    e: Endpoint,
    input: { query?: string; text?: string },
    valid: boolean,
  ): Promise<string | undefined> {
    // Sent as the endpoint's success scenario sends it: its caller, its path parameters.
    const sample = samples.get(name) ?? {};
    const headers = world.headersFor(e, sample);
    if (input.text !== undefined) headers['content-type'] = 'application/json';
    const path = buildPath(e.path, sample.params);
    const res = await fetch(`${api.apiUrl}${path}${input.query ? `?${input.query}` : ''}`, {
      method: e.method,
      headers,
      body: input.text,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    // 202: accepted, the work goes on after the response: wait until the tables stop changing,
    // or it would land in the next request's window.
    const after = res.status === 202 ? await snap.settled() : await snap.take();
    const recorded = recordsRefusals.get(name) ?? [];
    const changed = changedTables(before, after).filter(
      (table) => res.status < 400 || !recorded.includes(table),
    );
    before = after;

    const tally = (tallies[name] ??= { sent: 0, statuses: {} });
    tally.sent++;
    let key = String(res.status);
    try {
      key += ` ${(JSON.parse(text) as { code?: string }).code ?? ''}`.trimEnd();
    } catch {
      // not JSON: the status alone
    }
    tally.statuses[key] = (tally.statuses[key] ?? 0) + 1;

    if (res.status >= 500) return `${res.status}: ${text.slice(0, 300)}`;
    if (res.status < 400) return valid ? undefined : `invalid input accepted: ${res.status}`;
    const parsed = parseProblem(res.status, res.headers.get('content-type'), text);
    if ('wrong' in parsed) return parsed.wrong;
    const { problem } = parsed;
    if (problem.requestId !== res.headers.get('x-request-id'))
      return `problem requestId ${problem.requestId} vs header ${res.headers.get('x-request-id')}`;
    if (changed.length > 0) return `refused (${problem.code}) but changed ${changed.join(', ')}`;
    if (!problemsOf(e).includes(problem.code))
      return `answered ${problem.code}, a problem its contract does not name`;
    if (!valid && !INVALID_CODES.includes(problem.code))
      return `invalid input answered ${res.status} ${problem.code}`;
    // Input its schema accepts gets past validation: a refusal is the endpoint's own (a wrong
    // password, an unknown token), never the input's form.
    if (valid && INVALID_CODES.includes(problem.code))
      return `valid input refused as invalid: ${res.status} ${problem.code}`;
    return undefined;
  }

  const check = (wrong: string | undefined, input: unknown) => {
    if (wrong) throw new Error(`${wrong}\n  input: ${JSON.stringify(input).slice(0, 500)}`);
  };
  const options = { seed: SEED, numRuns: RUNS, endOnFailure: true };

  it('has a success scenario for every endpoint it fuzzes (the caller and path to use)', () => {
    expect(fuzzed.filter(([name]) => !samples.has(name)).map(([name]) => name)).toEqual([]);
  });

  describe.each(fuzzed)('%s', (name, e) => {
    if (e.body) {
      const schema = e.body;
      const json = jsonSchemaOf(schema);

      it('valid bodies: never a 5xx, never refused as invalid, and a refusal changes no row', async () => {
        await fc.assert(
          fc.asyncProperty(arbitraryOf(json), async (body) => {
            const valid = schema.safeParse(body).success;
            check(await exchange(name, e, { text: JSON.stringify(body) }, valid), body);
          }),
          options,
        );
      });

      it('mutated bodies: refused with a 4xx problem, no row changed', async () => {
        let invalid = 0;
        await fc.assert(
          fc.asyncProperty(mutantOf(json), async (mutant) => {
            let valid = false;
            try {
              valid = schema.safeParse(JSON.parse(mutant.text)).success;
            } catch {
              // not JSON: invalid
            }
            if (!valid) invalid++;
            check(await exchange(name, e, { text: mutant.text }, valid), mutant);
          }),
          options,
        );
        // Most mutants are invalid (a dropped optional field is not).
        expect(invalid).toBeGreaterThanOrEqual(RUNS / 2);
      });
    }

    if (e.query) {
      const schema = e.query;
      const json = jsonSchemaOf(schema);
      for (const mutate of [false, true]) {
        it(`${mutate ? 'mutated' : 'valid'} queries: never a 5xx, refused only with a problem and no row changed`, async () => {
          await fc.assert(
            fc.asyncProperty(queryOf(json, mutate), async (query) => {
              const valid = schema.safeParse(parseQuery(query)).success;
              check(await exchange(name, e, { query }, valid), query);
            }),
            options,
          );
        });
      }
    }
  });

  it('left the user able to work: the session is live', async () => {
    const me = await fetch(`${api.apiUrl}/users/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.status).toBe(200);
    expect(Object.values(tallies).reduce((sum, t) => sum + t.sent, 0)).toBeGreaterThanOrEqual(
      fuzzed.length * RUNS,
    );
  });
});
