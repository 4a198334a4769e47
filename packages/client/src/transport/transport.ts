import { type Contract, endpointsOf, type ProblemCode, takesAccessToken } from '@repo/contracts';
import axios, {
  type AxiosAdapter,
  type AxiosInstance,
  type AxiosRequestConfig,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { type DiagnoseInput, type Diagnosis } from '../diagnosis/diagnose.js';
import { type Emitter } from '../emitter.js';
import { ApiError } from './api-error.js';
import { sleep } from './backoff.js';
import { headerOf, metaOf, type RequestMeta } from './request-meta.js';
import { DEFAULT_RETRY, parseRetryAfter, retryDelay, type RetryOptions } from './retry-policy.js';

export interface RetryEvent {
  method: string;
  url: string;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  /** The status that caused it, or the failure kind. */
  reason: number | 'network' | 'cors';
}

export interface TransportEvents {
  retry: RetryEvent;
  /** A request got no response (after its retries); the error carries the diagnosis. */
  connectionProblem: ApiError;
  /** The first response after a connection problem. */
  connectionRestored: undefined;
}

/** How requests get their credentials: the session implements it. */
export interface Credentials {
  /** Sets the credentials of a request that takes them (refreshing first if need be). */
  authorize(config: InternalAxiosRequestConfig, meta: RequestMeta): Promise<void>;
  /** After a refreshable 401: true when fresh credentials are there to send the request again. */
  renew(meta: RequestMeta): Promise<boolean>;
}

export interface TransportOptions {
  baseUrl: string;
  contract: Contract;
  events: Pick<Emitter<TransportEvents>, 'emit'>;
  timeoutMs?: number;
  retry?: Partial<RetryOptions> | false;
  diagnose?: ((input: DiagnoseInput) => Promise<Diagnosis>) | undefined;
  headers?: Record<string, string>;
  traceHeaders?: (() => Record<string, string> | undefined) | undefined;
  adapter?: AxiosAdapter;
  random: () => number;
}

/** 401 codes after which a refresh may help. */
const REFRESHABLE: ReadonlySet<ProblemCode | undefined> = new Set<ProblemCode | undefined>([
  'token_expired',
  'token_invalid',
  'unauthorized',
]);

/** Methods that carry a body: the API takes JSON only, so an empty one is sent as `{}`. */
const BODY_METHODS: ReadonlySet<string> = new Set(['post', 'put', 'patch']);

/**
 * HTTP on axios: credentials (from the session), one refresh and resend after a 401, retries with
 * backoff for idempotent requests, typed errors, and a diagnosis of failures without a response.
 */
export class Transport {
  readonly http: AxiosInstance;
  credentials: Credentials | undefined;
  private readonly events: Pick<Emitter<TransportEvents>, 'emit'>;
  private readonly retryOptions: RetryOptions | false;
  private readonly diagnoser: TransportOptions['diagnose'];
  private readonly random: () => number;
  /** Routes that never take an access token nor trigger a refresh: login, register, refresh... */
  private readonly authFreePaths: ReadonlySet<string>;
  private pendingDiagnosis: { key: string; at: number; promise: Promise<Diagnosis> } | undefined;
  private connectionBroken = false;

  constructor(private readonly options: TransportOptions) {
    this.events = options.events;
    this.retryOptions = options.retry === false ? false : { ...DEFAULT_RETRY, ...options.retry };
    this.diagnoser = options.diagnose;
    this.random = options.random;
    this.authFreePaths = new Set(
      endpointsOf(options.contract)
        .filter((e) => !takesAccessToken(e))
        .map((e) => e.path),
    );
    this.http = axios.create({
      baseURL: options.baseUrl,
      withCredentials: true,
      timeout: options.timeoutMs ?? 15_000,
      headers: { Accept: 'application/json', ...options.headers },
      transitional: { clarifyTimeoutError: true },
      ...(options.adapter ? { adapter: options.adapter } : {}),
    });
    this.http.interceptors.request.use((config) => this.beforeRequest(config));
    this.http.interceptors.response.use(
      (response) => this.afterResponse(response),
      (error: unknown) => this.onFailure(error),
    );
  }

  private async beforeRequest(
    config: InternalAxiosRequestConfig,
  ): Promise<InternalAxiosRequestConfig> {
    const meta = metaOf(config);
    if (config.data === undefined && BODY_METHODS.has(config.method?.toLowerCase() ?? '')) {
      // axios would label an empty POST form-urlencoded, which the API refuses (415).
      config.data = {};
    }
    if (meta.skipAuth === undefined && this.authFreePaths.has(this.pathOf(config))) {
      meta.skipAuth = meta.skipRefresh = true;
    }
    if (!meta.skipAuth) await this.credentials?.authorize(config, meta);
    const trace = this.options.traceHeaders?.();
    if (trace) config.headers.set(trace);
    return config;
  }

  private afterResponse(response: AxiosResponse): AxiosResponse {
    if (this.connectionBroken) {
      this.connectionBroken = false;
      this.events.emit('connectionRestored', undefined);
    }
    return response;
  }

  private async onFailure(error: unknown): Promise<AxiosResponse> {
    if (error instanceof ApiError || !axios.isAxiosError(error) || !error.config) throw error;
    const config = error.config;
    const meta = metaOf(config);
    const response = error.response;
    if (axios.isCancel(error)) throw this.abortError(config, error);
    if (response) this.afterResponse(response);

    // 1. An expired or invalid access token: refresh once, then send the request again.
    if (
      response?.status === 401 &&
      !meta.skipRefresh &&
      !meta.refreshed &&
      REFRESHABLE.has(ApiError.fromResponse(401, response.data).code) &&
      this.credentials
    ) {
      meta.refreshed = true;
      if (await this.credentials.renew(meta)) return this.http.request(config);
    }

    // 2. Retries with backoff, for idempotent methods on failures that a retry may fix.
    const kind = response ? undefined : error.code === 'ETIMEDOUT' ? 'timeout' : 'network';
    const retryAfterMs = parseRetryAfter(headerOf(response, 'retry-after'));
    const options = this.retryOptionsFor(meta);
    const attempt = meta.attempt ?? 0;
    const delay = options
      ? retryDelay(
          { method: config.method, status: response?.status, kind, retryAfterMs },
          attempt,
          options,
          this.random,
        )
      : null;
    if (delay !== null) {
      meta.attempt = attempt + 1;
      this.events.emit('retry', {
        method: (config.method ?? 'get').toUpperCase(),
        url: this.http.getUri(config),
        attempt: attempt + 1,
        delayMs: delay,
        reason: response?.status ?? 'network',
      });
      try {
        await sleep(delay, config.signal as AbortSignal | undefined);
      } catch (abort) {
        throw this.abortError(config, abort);
      }
      return this.http.request(config);
    }

    // 3. Out of options: a typed error.
    const method = config.method?.toUpperCase();
    const url = this.http.getUri(config);
    if (response) {
      throw ApiError.fromResponse(response.status, response.data, {
        method,
        url,
        requestId: headerOf(response, 'x-request-id'),
        retryAfterMs,
        cause: error,
      });
    }
    const diagnosis = await this.diagnoseFailure(kind!, url, error.code);
    const failure = new ApiError({
      kind: diagnosis?.finding === 'cors_blocked' ? 'cors' : kind!,
      method,
      url,
      diagnosis,
      detail: error.message,
      cause: error,
    });
    this.connectionBroken = true;
    this.events.emit('connectionProblem', failure);
    throw failure;
  }

  private abortError(config: InternalAxiosRequestConfig, cause: unknown): ApiError {
    return new ApiError({
      kind: 'aborted',
      method: config.method?.toUpperCase(),
      url: this.http.getUri(config),
      cause,
    });
  }

  private retryOptionsFor(meta: RequestMeta): RetryOptions | false {
    if (meta.retry === false || this.retryOptions === false) return false;
    return meta.retry === true || meta.retry === undefined
      ? this.retryOptions
      : { ...this.retryOptions, ...meta.retry };
  }

  /** The request's path below the base URL, without the query. */
  private pathOf(config: AxiosRequestConfig): string {
    const url = config.url ?? '';
    const base = this.options.baseUrl;
    const path = url.startsWith(base) ? url.slice(base.length) : url;
    return path.split('?')[0]!;
  }

  private async diagnoseFailure(
    kind: 'network' | 'timeout',
    url: string,
    cause: string | undefined,
  ): Promise<Diagnosis | undefined> {
    if (!this.diagnoser) return undefined;
    // Many requests failing at once share one probe.
    const key = `${kind}:${new URL(url, 'http://x').origin}`;
    const now = Date.now();
    if (
      !this.pendingDiagnosis ||
      this.pendingDiagnosis.key !== key ||
      now - this.pendingDiagnosis.at > 2_000
    ) {
      this.pendingDiagnosis = {
        key,
        at: now,
        promise: this.diagnoser({ apiUrl: this.options.baseUrl, url, kind, cause }),
      };
    }
    try {
      return await this.pendingDiagnosis.promise;
    } catch {
      return undefined;
    }
  }
}
