import {
  type AppContract,
  type AuthTokens,
  type Contract,
  contract as appContract,
  endpointsOf,
  type User,
} from '@repo/contracts';
import { type AxiosAdapter, type AxiosInstance } from 'axios';
import { deriveCalls } from './calls/call.js';
import { type ReauthHandler } from './calls/reauth-handler.js';
import { type Calls } from './calls/types.js';
import { type DiagnoseInput, type Diagnosis, diagnoseConnection } from './diagnosis/diagnose.js';
import { Emitter } from './emitter.js';
import { type CrossTabOptions, defaultCrossTab } from './session/cross-tab.js';
import { Session } from './session/session.js';
import {
  type ClientMode,
  type SessionEvents,
  type SessionStatus,
  type SessionTokens,
} from './session/session-types.js';
import { localStorageHint, type SessionHint } from './session/session-hint.js';
import { type RetryOptions } from './transport/retry-policy.js';
import { Transport, type TransportEvents } from './transport/transport.js';

export interface ApiClientOptions<C extends Contract = AppContract> {
  /** The API base URL with its prefix, e.g. http://localhost:4000/api/v1 */
  baseUrl: string;
  /** The endpoints to derive calls from. Default: the API's contract. */
  contract?: C;
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
  /**
   * The caller's trace context for each request (and each retry): W3C `traceparent` and
   * `tracestate`, so the API's spans join the caller's trace. With OpenTelemetry:
   * `() => { const h = {}; propagation.inject(context.active(), h); return h; }`.
   */
  traceHeaders?: () => Record<string, string> | undefined;
  /** An axios adapter, for tests. */
  adapter?: AxiosAdapter;
  /** Random numbers in [0, 1) for jitter (tests make it deterministic). */
  random?: () => number;
  /**
   * Browser mode: where to keep the "may have a session" flag that decides whether to try a
   * refresh on load. Default: localStorage. `false`: always try.
   */
  sessionHint?: SessionHint | false;
  /** Proves the user's identity again when a sensitive change asks (see also `handleReauth`). */
  onReauthRequired?: ReauthHandler;
}

export type ApiClientEvents = SessionEvents & TransportEvents;

const hasDocument = () => (globalThis as { document?: unknown }).document !== undefined;

function crossTabOf(options: ApiClientOptions<Contract>, mode: ClientMode) {
  if (options.crossTab === false) return undefined;
  if (typeof options.crossTab === 'object') return options.crossTab;
  return options.crossTab === true || mode === 'browser' ? defaultCrossTab() : undefined;
}

/**
 * The session and events of the API client; its typed calls are added per feature of the
 * contract (see ApiClient).
 */
class ApiClientBase {
  /** The axios instance: requests made on it directly get auth, refresh and retries too. */
  readonly http: AxiosInstance;
  readonly baseUrl: string;
  readonly mode: ClientMode;
  private readonly events = new Emitter<ApiClientEvents>();
  protected readonly session: Session;
  protected reauthHandler: ReauthHandler | undefined;

  constructor(options: ApiClientOptions<Contract>, contract: Contract) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.mode = options.mode ?? (hasDocument() ? 'browser' : 'native');
    const random = options.random ?? Math.random;
    const transport = new Transport({
      baseUrl: this.baseUrl,
      contract,
      events: this.events,
      timeoutMs: options.timeoutMs,
      retry: options.retry,
      diagnose:
        options.diagnose === false
          ? undefined
          : typeof options.diagnose === 'function'
            ? options.diagnose
            : (input) => diagnoseConnection(input),
      headers: options.headers,
      traceHeaders: options.traceHeaders,
      adapter: options.adapter,
      random,
    });
    this.http = transport.http;
    const refresh = endpointsOf(contract).find(
      (e) => e.access === 'refresh-cookie' && e.session === 'starts',
    );
    const crossTab = crossTabOf(options, this.mode);
    this.session = new Session({
      mode: this.mode,
      http: this.http,
      events: this.events,
      refresh: refresh ?? appContract.auth.refresh,
      proactiveRefresh: options.proactiveRefresh ?? true,
      refreshLeadMs: options.refreshLeadMs ?? 60_000,
      crossTab: crossTab && { name: `@repo/client:${this.baseUrl}`, options: crossTab },
      hint:
        this.mode === 'browser' && options.sessionHint !== false
          ? (options.sessionHint ?? localStorageHint(`@repo/client:session:${this.baseUrl}`))
          : undefined,
      refreshToken: options.refreshToken,
      apiKey: options.apiKey,
      random,
    });
    transport.credentials = this.session;
    this.reauthHandler = options.onReauthRequired;
  }

  /**
   * Sets who proves the user's identity again when a sensitive change is refused for want of a
   * recent proof (a UI mounts its dialog here); the call is sent again once they have. Returns
   * the function that takes the handler off.
   */
  handleReauth(handler: ReauthHandler): () => void {
    this.reauthHandler = handler;
    return () => {
      if (this.reauthHandler === handler) this.reauthHandler = undefined;
    };
  }

  /** The current access token (memory only), or null. */
  get accessToken(): string | null {
    return this.session.current?.accessToken ?? null;
  }

  /** When the access token expires, in milliseconds since the epoch. */
  get expiresAt(): number | null {
    return this.session.current?.expiresAt ?? null;
  }

  /** The user of the current session, as last returned by login or refresh. */
  get user(): User | null {
    return this.session.current?.user ?? null;
  }

  get sessionStatus(): SessionStatus {
    return this.session.status;
  }

  get isAuthenticated(): boolean {
    return this.session.current !== null;
  }

  /** Native mode: the refresh token, to store between runs (in browsers it is an httpOnly cookie). */
  get refreshToken(): string | undefined {
    return this.session.refreshToken;
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
    this.session.apply(tokens, 'set');
  }

  /** Forgets the session locally, without telling the API (see `auth.logout`). */
  clearSession(): void {
    this.session.end('logout');
  }

  /** A sign-in outside this client is under way (a provider's redirect): check on the next load. */
  expectSession(): void {
    this.session.expectSession();
  }

  /** A fresh access token now (see Session.refresh: single flight, across tabs). */
  refreshSession(): Promise<SessionTokens> {
    return this.session.refresh();
  }

  /** Stops timers and cross-tab messaging; the client should not be used afterwards. */
  dispose(): void {
    this.session.dispose();
    this.events.removeAllListeners();
  }
}

/** The client: session state and events, and a typed call per endpoint (`api.notes.list()`). */
export type ApiClient<C extends Contract = AppContract> = ApiClientBase & Calls<C>;

/**
 * The typed HTTP client of the API, on axios: one call per endpoint of the contract, grouped by
 * feature, with the session (access token in memory, refresh cookie), one refresh for any number
 * of 401s, retries and a diagnosis of connection failures.
 */
export const ApiClient = class ApiClient extends ApiClientBase {
  constructor(options: ApiClientOptions<Contract>) {
    const contract = options.contract ?? appContract;
    super(options, contract);
    const calls = deriveCalls(contract, {
      http: this.http,
      session: this.session,
      validate: options.validateResponses ?? true,
      reauth: () => this.reauthHandler,
    });
    for (const feature of Object.keys(calls)) {
      if (feature in this) throw new Error(`A feature cannot be named ${feature}: it is taken`);
    }
    Object.assign(this, calls);
  }
} as unknown as new <C extends Contract = AppContract>(
  options: ApiClientOptions<C>,
) => ApiClient<C>;
