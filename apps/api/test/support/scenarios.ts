import { globSync } from 'node:fs';
import { join } from 'node:path';
import { type Endpoint, type ProblemCode } from '@repo/contracts';
import { type World } from './world.js';

/**
 * Test scenarios: what each feature declares beside its code (`notes/notes.scenarios.ts`) so
 * that the suites that walk every endpoint — the no-secrets walk, the bad-input suite, the fuzzer
 * — know how to make it succeed and how it refuses. Adding an endpoint adds its scenarios next to
 * it; no central test changes, and a suite fails for an endpoint that has none.
 */

/** Who sends a request. */
export type Caller =
  /** A logged-in browser: its access token (and its refresh cookie for the cookie endpoints). */
  | { accessToken: string; cookie?: string }
  /** The refresh cookie alone. */
  | { cookie: string }
  | { apiKey: string }
  /** An Authorization header as is (garbage, tampered, Basic). */
  | { authorization: string };

export interface ScenarioRequest {
  /** Nobody when absent. */
  as?: Caller;
  /** Values for the `:name` placeholders of the path. */
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  /** A JSON body; endpoints that take one get `{}` when absent. */
  body?: unknown;
  /** A body sent as is, instead of `body`. */
  raw?: { text: string; contentType: string };
  /** Cookies a browser sends besides the caller's (a provider sign-in's flow cookie). */
  cookie?: string;
  /** The Origin header: the web app's by default; null for a native client (no Origin). */
  origin?: string | null;
  /** What the case's `then` needs besides the request (not sent). */
  context?: Record<string, unknown>;
}

/** The answer a case expects: the endpoint's success status, another one, or a problem. */
export type Expected = 'success' | number | readonly [number, ProblemCode];

export interface Reply {
  status: number;
  text: string;
  headers: Headers;
  json: () => unknown;
}

export interface ScenarioCase {
  label: string;
  expect: Expected;
  /** Sets up what the request needs (through the world) and returns it. */
  request: (world: World) => Promise<ScenarioRequest> | ScenarioRequest;
  /** Checks what the request changed, once it was answered as expected. */
  then?: (world: World, reply: Reply, request: ScenarioRequest) => Promise<void>;
}

/** A feature's cases, by endpoint name: every endpoint of the feature needs at least a success. */
export type FeatureScenarios<F extends Record<string, Endpoint>> = {
  [N in keyof F]: readonly ScenarioCase[];
};

export interface Scenarios {
  endpoints: Record<string, Endpoint>;
  cases: Record<string, readonly ScenarioCase[]>;
  /**
   * Tables a refused request may still change, by endpoint name: where the refusal itself is
   * recorded (a wrong one-time code counts as a try). Every other refusal changes nothing.
   */
  refusalsRecordedIn?: Record<string, readonly string[]>;
}

/** The scenarios of one feature of the contract. */
export const defineScenarios = <F extends Record<string, Endpoint>>(
  endpoints: F,
  cases: FeatureScenarios<F>,
  options: { refusalsRecordedIn?: Partial<Record<keyof F & string, readonly string[]>> } = {},
): Scenarios => ({
  endpoints,
  cases,
  refusalsRecordedIn: options.refusalsRecordedIn as Record<string, readonly string[]>,
});

/** The tables a refusal may change, by endpoint id (see Scenarios.refusalsRecordedIn). */
export const refusalRecords = (all: readonly Scenarios[]): Map<string, readonly string[]> =>
  new Map(
    all.flatMap(({ endpoints, refusalsRecordedIn = {} }) =>
      Object.entries(refusalsRecordedIn).map(([name, tables]) => [endpoints[name]!.id, tables]),
    ),
  );

/** A case the endpoint answers with its success status. */
export const succeeds = (
  label: string,
  request: ScenarioCase['request'],
  then?: ScenarioCase['then'],
): ScenarioCase => ({ label, expect: 'success', request, ...(then ? { then } : {}) });

/** A case the endpoint refuses with this status and problem code. */
export const refused = (
  label: string,
  expected: readonly [number, ProblemCode],
  request: ScenarioCase['request'],
  then?: ScenarioCase['then'],
): ScenarioCase => ({ label, expect: expected, request, ...(then ? { then } : {}) });

/** Every case of the given scenarios, each with its endpoint. */
export const casesOf = (all: readonly Scenarios[]) =>
  all.flatMap((s) =>
    Object.entries(s.cases).flatMap(([name, cases]) =>
      cases.map((c) => ({ endpoint: s.endpoints[name]!, case: c })),
    ),
  );

/** The first success case of each endpoint, by endpoint id. */
export const successes = (all: readonly Scenarios[]): Map<string, ScenarioCase> =>
  new Map(
    casesOf(all)
      .filter(({ case: c }) => c.expect === 'success')
      .reverse()
      .map(({ endpoint, case: c }) => [endpoint.id, c]),
  );

/** Whether an endpoint can refuse anything: it needs a caller, or takes input. */
const canRefuse = (e: Endpoint): boolean =>
  e.access !== 'public' || Boolean(e.body ?? e.query ?? e.params);

/**
 * What is missing from the scenarios of these endpoints: a success for each, and a refusal for
 * each that can refuse. Empty when they are complete.
 */
export function missingScenarios(endpoints: readonly Endpoint[], all: readonly Scenarios[]) {
  const cases = casesOf(all);
  return endpoints.flatMap((e) => {
    const own = cases.filter((c) => c.endpoint.id === e.id).map((c) => c.case);
    const missing: string[] = [];
    if (!own.some((c) => c.expect === 'success')) missing.push(`${e.id}: no success`);
    if (canRefuse(e) && !own.some((c) => c.expect !== 'success')) {
      missing.push(`${e.id}: no refusal`);
    }
    return missing;
  });
}

const SOURCE = join(import.meta.dirname, '..', '..', 'src');

/** The scenarios beside the API's features: every `src/**\/*.scenarios.ts`. */
export const featureScenarios = (): Promise<Scenarios[]> =>
  Promise.all(
    globSync('**/*.scenarios.ts', { cwd: SOURCE }).map(
      async (file) => ((await import(join(SOURCE, file))) as { scenarios: Scenarios }).scenarios,
    ),
  );
