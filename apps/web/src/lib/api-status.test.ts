import { ApiError } from '@repo/client';
import { type Readiness } from '@repo/contracts';
import axios, { AxiosError, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import { ApiStatusError, fetchApiStatus, problemFromError, statusFromResponse } from './api-status';

const BASE = 'http://localhost:4000/api/v1';
const READY_URL = `${BASE}/health/ready`;

const ready: Readiness = {
  status: 'ok',
  checks: { database: { status: 'up', latencyMs: 3 } },
  version: '0.1.0',
  timestamp: '2026-01-01T12:00:00.000Z',
};
const notReady: Readiness = {
  ...ready,
  status: 'error',
  checks: { database: { status: 'down', latencyMs: null } },
};

/** An axios client whose adapter answers (or fails) without any network. */
const clientAnswering = (
  answer: (config: InternalAxiosRequestConfig) => Promise<{ status: number; data: unknown }>,
) => {
  const adapter: AxiosAdapter = async (config) => {
    const { status, data } = await answer(config);
    return { status, data, statusText: '', headers: {}, config };
  };
  return axios.create({ baseURL: BASE, timeout: 5_000, adapter });
};

const problemOf = async (promise: Promise<unknown>) => {
  const error: unknown = await promise.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiStatusError);
  return (error as ApiStatusError).problem;
};

describe('statusFromResponse', () => {
  it('reads a 200 as ok', () => {
    expect(statusFromResponse(READY_URL, 200, ready)).toEqual({ state: 'ok', readiness: ready });
  });

  it('reads a 503 with a readiness body as degraded, not as a failure', () => {
    expect(statusFromResponse(READY_URL, 503, notReady)).toEqual({
      state: 'degraded',
      readiness: notReady,
    });
  });

  it('refuses a 200 whose body is not a readiness report', () => {
    expect(() => statusFromResponse(READY_URL, 200, '<html>proxy</html>')).toThrow(ApiStatusError);
  });

  it('reports another status with the problem detail the API sent', () => {
    try {
      statusFromResponse(READY_URL, 404, {
        type: 'urn:problem:not_found',
        title: 'Not found',
        status: 404,
        detail: 'Route GET /health/ready not found',
        instance: '/health/ready',
        code: 'not_found',
        requestId: 'r1',
        timestamp: ready.timestamp,
      });
      expect.unreachable();
    } catch (error) {
      expect((error as ApiStatusError).problem).toEqual({
        kind: 'unexpected',
        url: READY_URL,
        httpStatus: 404,
        detail: 'Route GET /health/ready not found',
      });
    }
  });

  it('takes an error status without problem details for another server: a wrong base path', () => {
    expect(() => statusFromResponse(READY_URL, 404, '<html>Not Found</html>')).toThrow(
      expect.objectContaining({
        problem: {
          kind: 'unexpected',
          url: READY_URL,
          httpStatus: 404,
          detail: 'not a readiness report',
          finding: 'api_wrong_base_path',
        },
      }),
    );
  });
});

describe('problemFromError', () => {
  it('calls an axios error without a response unreachable (refused connection or CORS block)', () => {
    expect(
      problemFromError(new AxiosError('Network Error', 'ERR_NETWORK'), READY_URL, 5_000),
    ).toEqual({
      kind: 'unreachable',
      url: READY_URL,
    });
  });

  it('tells a timeout apart', () => {
    expect(problemFromError(new AxiosError('timeout', 'ECONNABORTED'), READY_URL, 5_000)).toEqual({
      kind: 'timeout',
      url: READY_URL,
      timeoutMs: 5_000,
    });
  });

  it('keeps the diagnosis of the ApiClient (CORS block vs unreachable)', () => {
    const diagnosis = {
      finding: 'cors_blocked' as const,
      apiUrl: BASE,
      pageOrigin: 'http://localhost:3300',
    };
    expect(problemFromError(new ApiError({ kind: 'cors', diagnosis }), READY_URL, 5_000)).toEqual({
      kind: 'unreachable',
      url: READY_URL,
      diagnosis,
    });
    expect(problemFromError(new ApiError({ kind: 'timeout' }), READY_URL, 5_000)).toEqual({
      kind: 'timeout',
      url: READY_URL,
      timeoutMs: 5_000,
    });
    const timeout = { finding: 'api_timeout' as const, apiUrl: BASE };
    expect(
      problemFromError(new ApiError({ kind: 'network', diagnosis: timeout }), READY_URL, 5_000),
    ).toEqual({ kind: 'timeout', url: READY_URL, timeoutMs: 5_000 });
  });

  it('reads an ApiError with a status as an unexpected answer', () => {
    expect(
      problemFromError(ApiError.fromResponse(502, '<html>bad gateway</html>'), READY_URL, 5_000),
    ).toEqual({
      kind: 'unexpected',
      url: READY_URL,
      httpStatus: 502,
      detail: 'Service unavailable',
    });
  });

  it('keeps the message of anything else', () => {
    expect(problemFromError(new TypeError('boom'), READY_URL, 5_000)).toEqual({
      kind: 'unexpected',
      url: READY_URL,
      httpStatus: null,
      detail: 'boom',
    });
  });
});

describe('fetchApiStatus', () => {
  it('asks GET /health/ready under the base READY_URL', async () => {
    const seen: string[] = [];
    const client = clientAnswering((config) => {
      seen.push(`${config.method?.toUpperCase()} ${axios.getUri(config)}`);
      return Promise.resolve({ status: 200, data: ready });
    });
    await expect(fetchApiStatus(client)).resolves.toEqual({ state: 'ok', readiness: ready });
    expect(seen).toEqual([`GET ${READY_URL}`]);
  });

  it('resolves a 503 readiness answer as degraded', async () => {
    const client = clientAnswering(() => Promise.resolve({ status: 503, data: notReady }));
    await expect(fetchApiStatus(client)).resolves.toMatchObject({ state: 'degraded' });
  });

  it('rejects with the READY_URL it tried when the API cannot be reached', async () => {
    const client = clientAnswering((config) =>
      Promise.reject(new AxiosError('Network Error', 'ERR_NETWORK', config)),
    );
    expect(await problemOf(fetchApiStatus(client))).toEqual({
      kind: 'unreachable',
      url: READY_URL,
    });
  });

  it('rejects a 500 as unexpected', async () => {
    const client = clientAnswering(() => Promise.resolve({ status: 500, data: 'oops' }));
    expect(await problemOf(fetchApiStatus(client))).toMatchObject({
      kind: 'unexpected',
      httpStatus: 500,
    });
  });
});
