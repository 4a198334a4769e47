import {
  type AuthTokens,
  problemType,
  type ProblemCode,
  PROBLEMS,
  type User,
} from '@repo/contracts';
import {
  AxiosError,
  AxiosHeaders,
  CanceledError,
  type AxiosAdapter,
  type InternalAxiosRequestConfig,
} from 'axios';

import { sampleItem } from './sample-contract.js';

export const BASE = 'http://api.test/api/v1';

export const USER: User = {
  id: '0b6f5a52-0a38-4b8e-9d8a-6f1f1d2b3c4d',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  mfaEnabled: false,
  hasPassword: true,
  createdAt: '2026-01-01T00:00:00.000Z',
};

export interface FakeResponse {
  status: number;
  data?: unknown;
  headers?: Record<string, string>;
}

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** The client cancelled it before the answer. */
  aborted: boolean;
  /** Settles once the route has its answer, whether or not the client still waits for it. */
  answered: Promise<unknown>;
}

export const problem = (code: ProblemCode, detail?: string, status?: number): FakeResponse => ({
  status: status ?? PROBLEMS[code].status,
  headers: { 'content-type': 'application/problem+json', 'x-request-id': 'req-1' },
  data: {
    type: problemType(code),
    title: PROBLEMS[code].title,
    status: status ?? PROBLEMS[code].status,
    ...(detail ? { detail } : {}),
    instance: '/x',
    code,
    requestId: 'req-1',
    timestamp: '2026-01-01T00:00:00.000Z',
  },
});

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Route = (request: SeenRequest) => FakeResponse | Promise<FakeResponse>;

/** The route's answer, unless the request is cancelled first: then a CanceledError at once, as axios's own adapters do. */
function answerUnlessAborted(
  answer: Promise<FakeResponse>,
  config: InternalAxiosRequestConfig,
  request: SeenRequest,
): Promise<FakeResponse> {
  const signal = config.signal as AbortSignal | undefined;
  if (!signal) return answer;
  return new Promise((resolve, reject) => {
    const abort = () => {
      request.aborted = true;
      reject(new CanceledError(undefined, config));
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * An in-memory API behind an axios adapter: access tokens `at-<n>`, one valid at a time unless
 * told otherwise; refresh rotates. Routes can be replaced per test.
 */
export function fakeApi(options: { expiresIn?: number; refreshDelayMs?: number } = {}) {
  const state = {
    generation: 0,
    valid: new Set<string>(),
    refreshCalls: 0,
    refreshFails: false as false | ProblemCode,
    refreshToken: 'rt-0',
    requests: [] as SeenRequest[],
    expiresIn: options.expiresIn ?? 900,
    refreshDelayMs: options.refreshDelayMs ?? 20,
  };
  const issue = (): AuthTokens => {
    state.generation++;
    const accessToken = `at-${state.generation}`;
    state.valid.clear();
    state.valid.add(accessToken);
    state.refreshToken = `rt-${state.generation}`;
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: state.expiresIn,
      refreshToken: state.refreshToken,
      user: USER,
    };
  };
  const authed = (request: SeenRequest) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token) return problem('unauthorized');
    return state.valid.has(token) ? undefined : problem('token_expired');
  };
  const routes = new Map<string, Route>([
    ['POST /auth/login', () => ({ status: 200, data: issue() })],
    [
      'POST /auth/refresh',
      async () => {
        state.refreshCalls++;
        await sleep(state.refreshDelayMs);
        if (state.refreshFails) return problem(state.refreshFails);
        return { status: 200, data: issue() };
      },
    ],
    ['POST /auth/logout', () => ({ status: 204 })],
    ['GET /users/me', (r) => authed(r) ?? { status: 200, data: USER }],
    [
      'GET /items',
      (r) =>
        authed(r) ?? {
          status: 200,
          data: [sampleItem(1), sampleItem(2)],
          headers: { 'x-total-count': '42' },
        },
    ],
    ['POST /items', (r) => authed(r) ?? { status: 201, data: sampleItem(3) }],
  ]);

  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const url = new URL(config.url!, `${config.baseURL ?? BASE}/`);
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const headers = Object.fromEntries(
      Object.entries(AxiosHeaders.from(config.headers).toJSON()).map(([k, v]) => [
        k.toLowerCase(),
        String(v),
      ]),
    );
    const body: unknown =
      typeof config.data === 'string' ? JSON.parse(config.data) : (config.data as unknown);
    const request: SeenRequest = {
      method: config.method!.toUpperCase(),
      path,
      headers,
      body,
      aborted: false,
      answered: Promise.resolve(),
    };
    state.requests.push(request);
    const route = routes.get(`${request.method} ${path}`);
    let answer = problem('not_found');
    if (route) {
      const routeAnswer = Promise.resolve(route(request));
      request.answered = routeAnswer.catch(() => undefined);
      answer = await answerUnlessAborted(routeAnswer, config, request);
    }
    const response = {
      status: answer.status,
      statusText: '',
      data: answer.data,
      headers: new AxiosHeaders(answer.headers ?? {}),
      config,
      request: {},
    };
    if (answer.status >= 200 && answer.status < 300) return response;
    throw new AxiosError(
      `Request failed with status code ${answer.status}`,
      answer.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
      config,
      {},
      response,
    );
  };

  /** Every request for a route, e.g. count('POST /auth/refresh'). */
  const count = (route: string) =>
    state.requests.filter((r) => `${r.method} ${r.path}` === route).length;

  return { adapter, state, routes, issue, count };
}

/** An adapter failure with no response, as axios reports a refused connection. */
export const networkError = (config: InternalAxiosRequestConfig, code = 'ECONNREFUSED') =>
  new AxiosError('connect ECONNREFUSED 127.0.0.1:1', code, config, {});
