import {
  API_KEY_HEADER,
  type AuthTokens,
  authTokensSchema,
  type Endpoint,
  type EndpointName,
  endpoints,
  type LoginResult,
  paginationSchema,
  type ProblemCode,
  TOTAL_COUNT_HEADER,
  type User,
} from '@repo/contracts';
import axios, {
  type AxiosAdapter,
  AxiosHeaders,
  type AxiosInstance,
  type AxiosRequestConfig,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { type SessionHint, localStorageHint } from './session-hint.js';
import { ApiError } from './api-error.js';
import { MAX_TIMER_MS, sleep, unrefTimer } from './backoff.js';
import { CrossTab, type CrossTabOptions, defaultCrossTab, type TabMessage } from './cross-tab.js';
import { type DiagnoseInput, type Diagnosis, diagnoseConnection } from './diagnosis/diagnose.js';
import { Emitter } from './emitter.js';
import {
  buildPath,
  type CallInput,
  type EndpointBody,
  type EndpointQuery,
  type EndpointResult,
  type RequestOptions,
} from './endpoint-types.js';
import { DEFAULT_RETRY, parseRetryAfter, retryDelay, type RetryOptions } from './retry-policy.js';

/**
 * `browser`: the refresh token lives in an httpOnly cookie the client never sees.
 * `native` (Node, scripts, servers): the API sees no Origin and hands the refresh token over in
 * the body; the client keeps it in memory and sends it back in the body.
 */
export type ClientMode = 'browser' | 'native';

/** `unknown`: a browser tab that may have a refresh cookie; no access token yet. */
export type SessionStatus = 'unknown' | 'authenticated' | 'anonymous';

export interface ApiClientOptions {
  /** The API base URL with its prefix, e.g. http://localhost:4000/api/v1 */
  baseUrl: string;
  /** Default: `browser` when there is a `document`, else `native`. */
  mode?: ClientMode;
  /** Per request (each retry gets the whole time again). Default 15 s. */
  timeoutMs?: number;
  /** Retries of idempotent requests; false for none. */
  retry?: Partial<RetryOptions> | false;
  /** Refresh shortly before the access token expires (and before sending an expiring one). Default true. */
  proactiveRefresh?: boolean;
  /** How long before expiry to refresh: at most this, and at most a fifth of the token's lifetime. Default 60 s. */
  refreshLeadMs?: number;
  /**
   * One refresh for all tabs (Web Locks) and tokens/logout shared between tabs (BroadcastChannel).
   * Default: on in browser mode when the APIs exist. Pass implementations to inject them.
   */
  crossTab?: boolean | CrossTabOptions;
  /** Native mode: a refresh token to start with (e.g. from a previous run). */
  refreshToken?: string;
  /** Sent as X-API-Key when the client has no access token (servers, scripts). */
  apiKey?: string;
  /** Check success bodies against the contracts. Default true. */
  validateResponses?: boolean;
  /** Explain failures without a response (browser: probe for CORS). Default true. */
  diagnose?: boolean | ((input: DiagnoseInput) => Promise<Diagnosis>);
  /** Headers for every request. */
  headers?: Record<string, string>;
  /** An axios adapter, for tests. */
  adapter?: AxiosAdapter;
  /** Random numbers in [0, 1) for jitter (tests make it deterministic). */
  random?: () => number;
  /**
   * Browser mode: where to keep the "may have a session" flag that decides whether to try a
   * refresh on load. Default: localStorage. `false`: always try.
   */
  sessionHint?: SessionHint | false;
}

export type TokenChangeReason = 'login' | 'refresh' | 'other_tab' | 'set' | 'logout' | 'expired';

export interface TokenChange {
  /** null once logged out. */
  accessToken: string | null;
  expiresAt: number | null;
  user: User | null;
  reason: TokenChangeReason;
}

export interface LoggedOut {
  /** `refresh_failed`: the session ended (revoked, expired, reused token); `other_tab`: logged out elsewhere. */
  reason: 'logout' | 'refresh_failed' | 'other_tab';
  error?: ApiError;
}

export interface RetryEvent {
  method: string;
  url: string;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  /** The status that caused it, or the failure kind. */
  reason: number | 'network' | 'cors';
}

export interface ApiClientEvents {
  tokenChanged: TokenChange;
  /** Emitted once when a session ends: logout, a failed refresh, or a logout in another tab. */
  loggedOut: LoggedOut;
  retry: RetryEvent;
  /** A request got no response (after its retries); the error carries the diagnosis. */
  connectionProblem: ApiError;
  /** The first response after a connection problem. */
  connectionRestored: undefined;
}

/** 401 codes after which a refresh may help. */
const REFRESHABLE: ReadonlySet<ProblemCode | undefined> = new Set<ProblemCode | undefined>([
  'token_expired',
  'token_invalid',
  'unauthorized',
]);

/** Routes that never take an access token nor trigger a refresh: login, register, refresh... */
const AUTH_FREE_PATHS: ReadonlySet<string> = new Set(
  Object.values(endpoints as Record<string, Endpoint>)
    .filter((e) => e.auth === 'none' || e.auth === 'refresh-cookie')
    .map((e) => e.path),
);

/** Methods that carry a body: the API takes JSON only, so an empty one is sent as `{}`. */
const BODY_METHODS: ReadonlySet<string> = new Set(['post', 'put', 'patch']);

/**
 * The part of `expiresIn` the client can count on: the token's `exp` is in whole seconds, so it
 * may come up to a second before issue time + expiresIn.
 */
const usableLifetimeMs = (expiresIn: number): number =>
  expiresIn >= 2 ? (expiresIn - 1) * 1000 : expiresIn * 500;

/** What the client keeps on each axios request config. */
interface RequestMeta {
  skipAuth?: boolean;
  skipRefresh?: boolean;
  retry?: boolean | Partial<RetryOptions>;
  /** Retries done so far. */
  attempt?: number;
  /** Already retried once after a refresh. */
  refreshed?: boolean;
  /** The Authorization header was set by the client, with this token. */
  tokenUsed?: string;
}

const META = 'repoClient';
type WithMeta = { [META]?: RequestMeta };

const metaOf = (config: AxiosRequestConfig): RequestMeta => {
  const holder = config as WithMeta;
  return (holder[META] ??= {});
};

/** The session as the client holds it in memory. */
export interface SessionTokens {
  accessToken: string;
  /** Milliseconds since the epoch, a little early (see usableLifetimeMs). */
  expiresAt: number;
  /** The access token's usable lifetime, in milliseconds. */
  ttlMs: number;
  user: User | null;
}

const hasDocument = () => (globalThis as { document?: unknown }).document !== undefined;

/** A header of a response, whatever shape axios gave the headers in. */
function headerOf(response: AxiosResponse | undefined, name: string): string | undefined {
  if (!response) return undefined;
  const value = AxiosHeaders.from(response.headers as Record<string, string>).get(name);
  return typeof value === 'string' ? value : undefined;
}

/**
 * The typed HTTP client of the API (DESIGN §9), on axios. The access token is kept in memory
 * only; the refresh token is the browser's httpOnly cookie (or, in native mode, kept in memory).
 * One refresh serves any number of concurrent 401s — and, with Web Locks, every tab.
 */
export class ApiClient {
  /** The axios instance: requests made on it directly get auth, refresh and retries too. */
  readonly http: AxiosInstance;
  readonly baseUrl: string;
  readonly mode: ClientMode;
  private readonly events = new Emitter<ApiClientEvents>();
  private readonly retryOptions: RetryOptions | false;
  private readonly proactive: boolean;
  private readonly refreshLeadMs: number;
  private readonly validate: boolean;
  private readonly diagnoser: ((input: DiagnoseInput) => Promise<Diagnosis>) | undefined;
  private readonly random: () => number;
  private readonly apiKey: string | undefined;
  private readonly crossTab: CrossTab | undefined;

  private readonly hint: SessionHint | undefined;
  private tokens: SessionTokens | null = null;
  private nativeRefreshToken: string | undefined;
  private status: SessionStatus;
  private refreshing: Promise<SessionTokens> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingDiagnosis: { key: string; at: number; promise: Promise<Diagnosis> } | undefined;
  private connectionBroken = false;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.mode = options.mode ?? (hasDocument() ? 'browser' : 'native');
    this.retryOptions = options.retry === false ? false : { ...DEFAULT_RETRY, ...options.retry };
    this.proactive = options.proactiveRefresh ?? true;
    this.refreshLeadMs = options.refreshLeadMs ?? 60_000;
    this.validate = options.validateResponses ?? true;
    this.random = options.random ?? Math.random;
    this.apiKey = options.apiKey;
    this.nativeRefreshToken = options.refreshToken;
    this.diagnoser =
      options.diagnose === false
        ? undefined
        : typeof options.diagnose === 'function'
          ? options.diagnose
          : (input) => diagnoseConnection(input);
    this.hint =
      this.mode === 'browser' && options.sessionHint !== false
        ? (options.sessionHint ?? localStorageHint(`@repo/client:session:${this.baseUrl}`))
        : undefined;
    const maySession =
      this.mode === 'browser' ? (this.hint?.get() ?? true) : this.nativeRefreshToken !== undefined;
    this.status = maySession ? 'unknown' : 'anonymous';

    const crossTab =
      options.crossTab === false
        ? undefined
        : typeof options.crossTab === 'object'
          ? options.crossTab
          : options.crossTab === true || this.mode === 'browser'
            ? defaultCrossTab()
            : undefined;
    this.crossTab = crossTab
      ? new CrossTab(`@repo/client:${this.baseUrl}`, crossTab, (message) =>
          this.onTabMessage(message),
        )
      : undefined;

    this.http = axios.create({
      baseURL: this.baseUrl,
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

  // ---------------------------------------------------------------- session state

  /** The current access token (memory only), or null. */
  get accessToken(): string | null {
    return this.tokens?.accessToken ?? null;
  }

  /** When the access token expires, in milliseconds since the epoch. */
  get expiresAt(): number | null {
    return this.tokens?.expiresAt ?? null;
  }

  /** The user of the current session, as last returned by login or refresh. */
  get user(): User | null {
    return this.tokens?.user ?? null;
  }

  get sessionStatus(): SessionStatus {
    return this.status;
  }

  get isAuthenticated(): boolean {
    return this.tokens !== null;
  }

  /** Native mode: the refresh token, to store between runs (in browsers it is an httpOnly cookie). */
  get refreshToken(): string | undefined {
    return this.nativeRefreshToken;
  }

  on<K extends keyof ApiClientEvents>(
    event: K,
    listener: (payload: ApiClientEvents[K]) => void,
  ): () => void {
    return this.events.on(event, listener);
  }

  once<K extends keyof ApiClientEvents>(
    event: K,
    listener: (payload: ApiClientEvents[K]) => void,
  ): () => void {
    return this.events.once(event, listener);
  }

  /** Adopts tokens obtained elsewhere (e.g. a login done by other code). */
  setSession(tokens: AuthTokens): void {
    this.applyTokens(tokens, 'set');
  }

  /** Forgets the session locally, without telling the API (see `auth.logout`). */
  clearSession(): void {
    this.endSession('logout');
  }

  /**
   * A fresh access token: one refresh at a time however many callers ask (and, with Web Locks,
   * one across tabs; a tab that receives another tab's tokens does not refresh itself).
   * Rejects with the ApiError of the refresh; a 401/403 also ends the session (`loggedOut`).
   */
  refreshSession(): Promise<SessionTokens> {
    if (!this.refreshing) {
      const before = this.tokens?.accessToken ?? null;
      this.refreshing = this.refreshAcrossTabs(before).finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  /** Stops timers and cross-tab messaging; the client should not be used afterwards. */
  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.crossTab?.close();
    this.events.removeAllListeners();
  }

  // ---------------------------------------------------------------- typed endpoints

  /** Calls any endpoint of the contracts' table by name, typed from it. */
  async call<N extends EndpointName>(
    name: N,
    input: CallInput<N> = {},
  ): Promise<EndpointResult<N>> {
    const endpoint: Endpoint = endpoints[name];
    const authFree = endpoint.auth === 'none' || endpoint.auth === 'refresh-cookie';
    const config: AxiosRequestConfig & WithMeta = {
      method: endpoint.method,
      url: buildPath(endpoint.path, input.params),
      params: input.query,
      data: endpoint.body ? (input.body ?? {}) : undefined,
      signal: input.signal,
      headers: input.headers,
      [META]: { skipAuth: authFree, skipRefresh: authFree, retry: input.retry },
    };
    if (input.timeoutMs !== undefined) config.timeout = input.timeoutMs;
    const response = await this.http.request<unknown>(config);
    return this.resultOf(endpoint, response, input.query) as EndpointResult<N>;
  }

  private resultOf(endpoint: Endpoint, response: AxiosResponse<unknown>, query: unknown): unknown {
    if (!endpoint.response) return undefined;
    let data = response.data;
    const url = this.http.getUri(response.config);
    if (this.validate) {
      const parsed = endpoint.response.safeParse(data);
      if (!parsed.success) {
        throw new ApiError({
          kind: 'invalid_response',
          status: response.status,
          method: endpoint.method,
          url,
          requestId: headerOf(response, 'x-request-id'),
          detail: `The response does not match the contract: ${parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
            .join('; ')}`,
          cause: parsed.error,
        });
      }
      data = parsed.data;
    }
    if (endpoint.query !== paginationSchema) return data;
    const header = headerOf(response, TOTAL_COUNT_HEADER);
    const total = header === undefined ? NaN : Number(header);
    if (!Number.isInteger(total) || total < 0) {
      throw new ApiError({
        kind: 'invalid_response',
        status: response.status,
        method: endpoint.method,
        url,
        detail: `No ${TOTAL_COUNT_HEADER} header: the API sends it; in a browser it must also be listed in Access-Control-Expose-Headers.`,
      });
    }
    const asked = paginationSchema.safeParse(query ?? {});
    const { page, pageSize } = asked.success ? asked.data : paginationSchema.parse({});
    return { data, total, page, pageSize };
  }

  private fn<N extends EndpointName>(name: N) {
    return (options: RequestOptions = {}) => this.call(name, options);
  }

  private withBody<N extends EndpointName>(name: N) {
    return (body: EndpointBody<N>, options: RequestOptions = {}) =>
      this.call(name, { ...options, body });
  }

  private withQuery<N extends EndpointName>(name: N) {
    return (query?: EndpointQuery<N>, options: RequestOptions = {}) =>
      this.call(name, { ...options, ...(query ? { query } : {}) });
  }

  private withId<N extends EndpointName>(name: N) {
    return (id: string, options: RequestOptions = {}) =>
      this.call(name, { ...options, params: { id } });
  }

  private withIdAndBody<N extends EndpointName>(name: N) {
    return (id: string, body: EndpointBody<N>, options: RequestOptions = {}) =>
      this.call(name, { ...options, params: { id }, body });
  }

  readonly health = {
    /** Liveness. */
    live: this.fn('health'),
    /** Readiness (503 when a dependency is down). */
    ready: this.fn('ready'),
  };

  readonly auth = {
    register: this.withBody('register'),
    verifyEmail: this.withBody('verifyEmail'),
    resendVerification: this.withBody('resendVerification'),
    /** Logs in; on success the client holds the session. An MFA challenge is returned as is. */
    login: async (body: EndpointBody<'login'>, options?: RequestOptions): Promise<LoginResult> => {
      const result = await this.call('login', { ...options, body });
      if (!('mfaRequired' in result)) this.applyTokens(result, 'login');
      return result;
    },
    /** Finishes an MFA login; the client then holds the session. */
    verifyMfa: async (
      body: EndpointBody<'verifyMfa'>,
      options?: RequestOptions,
    ): Promise<AuthTokens> => {
      const tokens = await this.call('verifyMfa', { ...options, body });
      this.applyTokens(tokens, 'login');
      return tokens;
    },
    /** A new access token now (single flight; see refreshSession). */
    refresh: async (): Promise<AuthTokens> => this.asAuthTokens(await this.refreshSession()),
    /** Ends this session at the API and here (here even if the API cannot be reached). */
    logout: async (options?: RequestOptions): Promise<void> => {
      try {
        await this.call('logout', { ...options, body: this.refreshBody() });
      } finally {
        this.endSession('logout');
      }
    },
    /** Ends every session of the user, then this one here. */
    logoutAll: async (options?: RequestOptions): Promise<void> => {
      try {
        await this.call('logoutAll', options);
      } finally {
        this.endSession('logout');
      }
    },
    requestPasswordReset: this.withBody('requestPasswordReset'),
    resetPassword: this.withBody('resetPassword'),
    changePassword: this.withBody('changePassword'),
    sessions: this.fn('listSessions'),
    revokeSession: this.withId('revokeSession'),
    setupTotp: this.fn('setupTotp'),
    enableTotp: this.withBody('enableTotp'),
    disableTotp: this.withBody('disableTotp'),
  };

  readonly users = {
    me: this.fn('me'),
    updateMe: this.withBody('updateMe'),
  };

  readonly apiKeys = {
    create: this.withBody('createApiKey'),
    list: this.fn('listApiKeys'),
    revoke: this.withId('revokeApiKey'),
  };

  readonly notes = {
    /** A page of notes and the total count (X-Total-Count). */
    list: this.withQuery('listNotes'),
    create: this.withBody('createNote'),
    get: this.withId('getNote'),
    update: this.withIdAndBody('updateNote'),
    delete: this.withId('deleteNote'),
  };

  readonly dev = {
    /** Dev only: the emails the API wrote. */
    outbox: this.withQuery('devOutbox'),
  };

  // ---------------------------------------------------------------- interceptors

  private async beforeRequest(
    config: InternalAxiosRequestConfig,
  ): Promise<InternalAxiosRequestConfig> {
    const meta = metaOf(config);
    if (config.data === undefined && BODY_METHODS.has(config.method?.toLowerCase() ?? '')) {
      // axios would label an empty POST form-urlencoded, which the API refuses (415).
      config.data = {};
    }
    if (meta.skipAuth === undefined && AUTH_FREE_PATHS.has(this.pathOf(config))) {
      meta.skipAuth = meta.skipRefresh = true;
    }
    if (meta.skipAuth) return config;
    if (this.proactive && this.tokens && this.isExpiring()) {
      // A sleeping laptop or a throttled tab missed the timer: refresh before sending.
      await this.refreshSession().catch(() => undefined);
    }
    const own = config.headers.has('Authorization') && meta.tokenUsed === undefined;
    if (own) return config;
    const token = this.tokens?.accessToken;
    if (token) {
      config.headers.set('Authorization', `Bearer ${token}`);
      meta.tokenUsed = token;
    } else {
      if (meta.tokenUsed !== undefined) config.headers.delete('Authorization');
      delete meta.tokenUsed;
      if (this.apiKey && !config.headers.has(API_KEY_HEADER)) {
        config.headers.set(API_KEY_HEADER, this.apiKey);
      }
    }
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
      this.mayRefresh(meta)
    ) {
      meta.refreshed = true;
      if (await this.renewAfter401(meta.tokenUsed)) return this.http.request(config);
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
    const path = url.startsWith(this.baseUrl) ? url.slice(this.baseUrl.length) : url;
    return path.split('?')[0]!;
  }

  /** Whether a refresh can help: we had a token, or a browser may hold a refresh cookie. */
  private mayRefresh(meta: RequestMeta): boolean {
    if (meta.tokenUsed !== undefined) return true;
    if (this.status === 'anonymous') return false;
    return this.mode === 'browser' || this.nativeRefreshToken !== undefined;
  }

  /** After a 401: true when a newer token is there to retry with. */
  private async renewAfter401(tokenUsed: string | undefined): Promise<boolean> {
    // Another request refreshed while this one was in flight: just use the new token.
    if (this.tokens && this.tokens.accessToken !== tokenUsed && !this.isExpiring()) return true;
    try {
      await this.refreshSession();
      return true;
    } catch {
      return false;
    }
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
        promise: this.diagnoser({ apiUrl: this.baseUrl, url, kind, cause }),
      };
    }
    try {
      return await this.pendingDiagnosis.promise;
    } catch {
      return undefined;
    }
  }

  // ---------------------------------------------------------------- refresh

  private isExpiring(now = Date.now()): boolean {
    return this.tokens !== null && now >= this.tokens.expiresAt - this.leadMs(this.tokens);
  }

  private leadMs(tokens: SessionTokens): number {
    return Math.min(this.refreshLeadMs, tokens.ttlMs / 5);
  }

  private refreshBody(): { refreshToken?: string } {
    return this.mode === 'native' && this.nativeRefreshToken
      ? { refreshToken: this.nativeRefreshToken }
      : {};
  }

  private async refreshAcrossTabs(before: string | null): Promise<SessionTokens> {
    const tab = this.crossTab;
    if (!tab?.hasLocks) return this.refreshOverHttp();
    const attempt = await tab.tryLock(() => this.refreshUnlessRenewed(before));
    if (attempt.acquired) return attempt.value;
    // Another tab is refreshing: it broadcasts its tokens before it lets go of the lock.
    await tab.withLock(() => Promise.resolve());
    if (this.renewedSince(before) || (await this.waitForRenewal(before, 250))) return this.tokens!;
    if (this.status === 'anonymous') {
      throw new ApiError({
        kind: 'http',
        status: 401,
        code: 'unauthorized',
        detail: 'Logged out in another tab.',
      });
    }
    return tab.withLock(() => this.refreshUnlessRenewed(before));
  }

  private renewedSince(before: string | null): boolean {
    return this.tokens !== null && this.tokens.accessToken !== before && !this.isExpiring();
  }

  private waitForRenewal(before: string | null, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        off();
        resolve(value);
      };
      const off = this.events.on('tokenChanged', (change) =>
        done(change.accessToken !== null && change.accessToken !== before),
      );
      const timer = setTimeout(() => done(false), timeoutMs);
    });
  }

  private async refreshUnlessRenewed(before: string | null): Promise<SessionTokens> {
    if (this.renewedSince(before)) return this.tokens!;
    return this.refreshOverHttp();
  }

  private async refreshOverHttp(): Promise<SessionTokens> {
    const endpoint = endpoints.refresh;
    let tokens: AuthTokens;
    try {
      const response = await this.http.request<unknown>({
        method: endpoint.method,
        url: endpoint.path,
        data: this.refreshBody(),
        [META]: { skipAuth: true, skipRefresh: true, retry: false },
      } as AxiosRequestConfig & WithMeta);
      tokens = authTokensSchema.parse(response.data);
    } catch (error) {
      const failure =
        error instanceof ApiError
          ? error
          : new ApiError({ kind: 'invalid_response', detail: String(error), cause: error });
      // 401/403: the session is over (revoked, expired, reused, no cookie). Other failures
      // (network, 5xx) leave it be: the next attempt may work.
      if (failure.status === 401 || failure.status === 403)
        this.endSession('refresh_failed', failure);
      throw failure;
    }
    this.applyTokens(tokens, 'refresh');
    return this.tokens!;
  }

  private asAuthTokens(state: SessionTokens): AuthTokens {
    return {
      accessToken: state.accessToken,
      tokenType: 'Bearer',
      expiresIn: Math.max(1, Math.ceil((state.expiresAt - Date.now()) / 1000)),
      ...(this.nativeRefreshToken ? { refreshToken: this.nativeRefreshToken } : {}),
      user: state.user!,
    };
  }

  private applyTokens(tokens: AuthTokens, reason: TokenChangeReason): void {
    if (tokens.refreshToken) this.nativeRefreshToken = tokens.refreshToken;
    const ttlMs = usableLifetimeMs(tokens.expiresIn);
    this.setTokens(
      { accessToken: tokens.accessToken, expiresAt: Date.now() + ttlMs, ttlMs, user: tokens.user },
      reason,
    );
  }

  private setTokens(state: SessionTokens, reason: TokenChangeReason): void {
    this.tokens = state;
    this.status = 'authenticated';
    this.hint?.set(true);
    this.scheduleRefresh();
    if (reason !== 'other_tab') {
      this.crossTab?.post({
        type: 'tokens',
        accessToken: state.accessToken,
        expiresAt: state.expiresAt,
        ttlMs: state.ttlMs,
        user: state.user,
      });
    }
    this.events.emit('tokenChanged', {
      accessToken: state.accessToken,
      expiresAt: state.expiresAt,
      user: state.user,
      reason,
    });
  }

  private endSession(reason: LoggedOut['reason'], error?: ApiError): void {
    const hadSession = this.tokens !== null || this.status === 'authenticated';
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.tokens = null;
    this.nativeRefreshToken = undefined;
    this.status = 'anonymous';
    this.hint?.set(false);
    // A tab that never had a session (a failed first refresh) has nothing to end in the others.
    if (reason !== 'other_tab' && (hadSession || reason === 'logout')) {
      this.crossTab?.post({ type: 'logout' });
    }
    if (!hadSession) return;
    this.events.emit('tokenChanged', {
      accessToken: null,
      expiresAt: null,
      user: null,
      reason: reason === 'refresh_failed' ? 'expired' : 'logout',
    });
    this.events.emit('loggedOut', error ? { reason, error } : { reason });
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    const tokens = this.tokens;
    if (!this.proactive || !tokens) return;
    const lead = this.leadMs(tokens);
    // Jitter: tabs and clients that got their tokens together do not all refresh at once.
    const at = tokens.expiresAt - lead * (1 + 0.25 * this.random());
    this.refreshTimer = setTimeout(
      () => void this.refreshSession().catch(() => undefined),
      Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS),
    );
    unrefTimer(this.refreshTimer);
  }

  private onTabMessage(message: TabMessage): void {
    if (message.type === 'logout') {
      this.endSession('other_tab');
      return;
    }
    if (message.accessToken === this.tokens?.accessToken) return;
    this.setTokens(
      {
        accessToken: message.accessToken,
        expiresAt: message.expiresAt,
        ttlMs: message.ttlMs,
        user: message.user,
      },
      'other_tab',
    );
  }
}
