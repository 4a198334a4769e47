import { ApiError, type Diagnosis } from '@repo/client';
import { contract, problemDetailsSchema, readinessSchema, type Readiness } from '@repo/contracts';
import { isAxiosError, isCancel, type AxiosInstance } from 'axios';

/** What the status card shows when the API answered with a readiness report. */
export interface ApiStatus {
  /** `ok`: every dependency is up (HTTP 200); `degraded`: one is down (HTTP 503). */
  state: 'ok' | 'degraded';
  readiness: Readiness;
}

/** Why no readiness report could be shown. */
export type ApiProblem =
  /**
   * No HTTP response at all: API not running, wrong host, or a CORS block. In the browser the
   * ApiClient's `diagnosis` tells which.
   */
  | { kind: 'unreachable'; url: string; diagnosis?: Diagnosis }
  | { kind: 'timeout'; url: string; timeoutMs: number }
  /**
   * An HTTP response that is not a readiness report (wrong URL, proxy error page, ...); with
   * `api_wrong_base_path` when it is not even a problem of the API, so likely another server.
   */
  | {
      kind: 'unexpected';
      url: string;
      httpStatus: number | null;
      detail: string;
      finding?: 'api_wrong_base_path';
    };

export class ApiStatusError extends Error {
  constructor(readonly problem: ApiProblem) {
    super(describeProblem(problem));
    this.name = 'ApiStatusError';
  }
}

function describeProblem(problem: ApiProblem): string {
  switch (problem.kind) {
    case 'unreachable':
      return `Could not reach the API at ${problem.url}`;
    case 'timeout':
      return `The API at ${problem.url} did not answer within ${problem.timeoutMs / 1000} s`;
    case 'unexpected':
      return `Unexpected answer from ${problem.url}${problem.httpStatus === null ? '' : ` (HTTP ${problem.httpStatus})`}: ${problem.detail}`;
  }
}

/**
 * Turns an HTTP answer of the readiness endpoint into a status. A 503 carries a full readiness
 * report too (the database is down): that is a degraded API, not a failed request.
 */
export function statusFromResponse(url: string, httpStatus: number, body: unknown): ApiStatus {
  if (httpStatus === 200 || httpStatus === 503) {
    const parsed = readinessSchema.safeParse(body);
    if (parsed.success) {
      return { state: parsed.data.status === 'ok' ? 'ok' : 'degraded', readiness: parsed.data };
    }
    throw new ApiStatusError({
      kind: 'unexpected',
      url,
      httpStatus,
      detail: 'the body is not a readiness report',
    });
  }
  const problem = problemDetailsSchema.safeParse(body);
  throw new ApiStatusError(
    problem.success
      ? { kind: 'unexpected', url, httpStatus, detail: problem.data.detail ?? problem.data.title }
      : {
          kind: 'unexpected',
          url,
          httpStatus,
          detail: 'not a readiness report',
          finding: 'api_wrong_base_path',
        },
  );
}

/** Turns whatever a failed request threw into the problem to show. */
export function problemFromError(error: unknown, url: string, timeoutMs: number): ApiProblem {
  if (error instanceof ApiStatusError) return error.problem;
  if (ApiError.is(error)) {
    if (error.kind === 'timeout' || error.diagnosis?.finding === 'api_timeout') {
      return { kind: 'timeout', url, timeoutMs };
    }
    if (error.isNetworkError()) {
      return error.diagnosis
        ? { kind: 'unreachable', url, diagnosis: error.diagnosis }
        : { kind: 'unreachable', url };
    }
    return {
      kind: 'unexpected',
      url,
      httpStatus: error.status || null,
      detail: error.detail ?? error.title,
    };
  }
  if (isAxiosError(error)) {
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') {
      return { kind: 'timeout', url, timeoutMs };
    }
    if (!error.response) return { kind: 'unreachable', url };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { kind: 'unexpected', url, httpStatus: null, detail };
}

/** The TanStack Query key of the status: the one query that is not the user's (kept at logout). */
export const apiStatusKey = ['api-status'] as const;

/**
 * GET /health/ready through `client` (the ApiClient's axios instance, or any axios instance);
 * resolves for 200 and 503, throws an ApiStatusError otherwise.
 */
export async function fetchApiStatus(
  client: AxiosInstance,
  signal?: AbortSignal,
): Promise<ApiStatus> {
  const path = contract.health.ready.path;
  const url = client.getUri({ url: path });
  let response;
  try {
    // Every HTTP status resolves here; statusFromResponse decides what it means.
    response = await client.get<unknown>(path, { signal, validateStatus: () => true });
  } catch (error) {
    // The query was cancelled (unmounted, refetched): not a status.
    if (isCancel(error) || (ApiError.is(error) && error.isAborted())) throw error;
    throw new ApiStatusError(problemFromError(error, url, client.defaults.timeout ?? 0));
  }
  return statusFromResponse(url, response.status, response.data);
}
