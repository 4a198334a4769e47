import { API_KEY_HEADER, type AuthTokens } from '@repo/contracts';
import { type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { type Emitter } from '../emitter.js';
import { ApiError } from '../transport/api-error.js';
import { MAX_TIMER_MS, unrefTimer } from '../transport/backoff.js';
import { type RequestMeta } from '../transport/request-meta.js';
import { type Credentials } from '../transport/transport.js';
import { CrossTab, type CrossTabOptions, type TabMessage } from './cross-tab.js';
import { RefreshRequest } from './refresh-request.js';
import { type SessionHint } from './session-hint.js';
import {
  type ClientMode,
  type LoggedOut,
  type SessionEvents,
  type SessionStatus,
  type SessionTokens,
  type TokenChangeReason,
} from './session-types.js';

export interface SessionOptions {
  mode: ClientMode;
  http: AxiosInstance;
  events: Pick<Emitter<SessionEvents>, 'emit' | 'on'>;
  /** The refresh endpoint: where to send the refresh token. */
  refresh: { method: string; path: string };
  proactiveRefresh: boolean;
  refreshLeadMs: number;
  crossTab: { name: string; options: CrossTabOptions } | undefined;
  hint: SessionHint | undefined;
  refreshToken: string | undefined;
  apiKey: string | undefined;
  random: () => number;
}

/**
 * The part of `expiresIn` the client can count on: the token's `exp` is in whole seconds, so it
 * may come up to a second before issue time + expiresIn.
 */
const usableLifetimeMs = (expiresIn: number): number =>
  expiresIn >= 2 ? (expiresIn - 1) * 1000 : expiresIn * 500;

/**
 * The user's session: the access token in memory only, the refresh token as the browser's
 * httpOnly cookie (or, in native mode, in memory). One refresh serves any number of concurrent
 * 401s — and, with Web Locks, every tab; tokens and logouts are shared between tabs.
 */
export class Session implements Credentials {
  private readonly http: AxiosInstance;
  private readonly events: Pick<Emitter<SessionEvents>, 'emit' | 'on'>;
  private readonly crossTab: CrossTab | undefined;
  private tokens: SessionTokens | null = null;
  private nativeRefreshToken: string | undefined;
  private state: SessionStatus;
  private refreshing: Promise<SessionTokens> | undefined;
  private readonly refreshRequest: RefreshRequest;
  /** Bumped when a session ends: a refresh started before stores nothing. */
  private ended = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: SessionOptions) {
    this.http = options.http;
    this.events = options.events;
    this.nativeRefreshToken = options.refreshToken;
    this.refreshRequest = new RefreshRequest(options.http, options.refresh);
    const maySession =
      options.mode === 'browser'
        ? (options.hint?.get() ?? true)
        : this.nativeRefreshToken !== undefined;
    this.state = maySession ? 'unknown' : 'anonymous';
    this.crossTab = options.crossTab
      ? new CrossTab(options.crossTab.name, options.crossTab.options, (message) =>
          this.onTabMessage(message),
        )
      : undefined;
  }

  get current(): SessionTokens | null {
    return this.tokens;
  }

  get status(): SessionStatus {
    return this.state;
  }

  /** Native mode: the refresh token, to store between runs. */
  get refreshToken(): string | undefined {
    return this.nativeRefreshToken;
  }

  /** The body of a refresh-cookie request: native clients send their refresh token in it. */
  refreshBody(): { refreshToken?: string } {
    return this.options.mode === 'native' && this.nativeRefreshToken
      ? { refreshToken: this.nativeRefreshToken }
      : {};
  }

  /** Starts holding the tokens of a login, a refresh or another source. */
  apply(tokens: AuthTokens, reason: TokenChangeReason): void {
    if (tokens.refreshToken) this.nativeRefreshToken = tokens.refreshToken;
    const ttlMs = usableLifetimeMs(tokens.expiresIn);
    this.setTokens(
      { accessToken: tokens.accessToken, expiresAt: Date.now() + ttlMs, ttlMs, user: tokens.user },
      reason,
    );
  }

  /** The held session in the shape the API hands out. */
  asAuthTokens(state: SessionTokens): AuthTokens {
    return {
      accessToken: state.accessToken,
      tokenType: 'Bearer',
      expiresIn: Math.max(1, Math.ceil((state.expiresAt - Date.now()) / 1000)),
      ...(this.nativeRefreshToken ? { refreshToken: this.nativeRefreshToken } : {}),
      user: state.user!,
    };
  }

  /**
   * A fresh access token: one refresh at a time however many callers ask (and, with Web Locks,
   * one across tabs; a tab that receives another tab's tokens does not refresh itself).
   * Rejects with the ApiError of the refresh; a 401/403 also ends the session (`loggedOut`).
   */
  refresh(): Promise<SessionTokens> {
    if (!this.refreshing) {
      const before = this.tokens?.accessToken ?? null;
      this.refreshing = this.refreshAcrossTabs(before).finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  /**
   * A sign-in is under way outside this client (a provider's pages, then a redirect that sets
   * the refresh cookie): the next load of the app checks for a session.
   */
  expectSession(): void {
    this.options.hint?.set(true);
  }

  /**
   * Sends the request that ends the session, cancelling this tab's refresh under way (one that
   * reached the API after the logout would only be refused) and waiting for another tab's (with
   * Web Locks), whose tokens that tab is about to share. The API ends a session by a refresh token
   * it rotated away as well, so a refresh the API answered before the logout changes nothing.
   */
  async ending<T>(send: () => Promise<T>): Promise<T> {
    this.stopRefreshing();
    await this.refreshing?.catch(() => undefined);
    return this.crossTab?.hasLocks ? this.crossTab.withLock(send) : send();
  }

  /** Forgets the session here (and in the other tabs). */
  end(reason: LoggedOut['reason'], error?: ApiError): void {
    const hadSession = this.tokens !== null || this.state === 'authenticated';
    this.stopRefreshing();
    this.ended++;
    this.tokens = null;
    this.nativeRefreshToken = undefined;
    this.state = 'anonymous';
    this.options.hint?.set(false);
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

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.crossTab?.close();
  }

  // ---------------------------------------------------------------- Credentials

  async authorize(config: InternalAxiosRequestConfig, meta: RequestMeta): Promise<void> {
    if (this.options.proactiveRefresh && this.tokens && this.isExpiring()) {
      // A sleeping laptop or a throttled tab missed the timer: refresh before sending.
      await this.refresh().catch(() => undefined);
    }
    const own = config.headers.has('Authorization') && meta.tokenUsed === undefined;
    if (own) return;
    const token = this.tokens?.accessToken;
    if (token) {
      config.headers.set('Authorization', `Bearer ${token}`);
      meta.tokenUsed = token;
      return;
    }
    if (meta.tokenUsed !== undefined) config.headers.delete('Authorization');
    delete meta.tokenUsed;
    const apiKey = this.options.apiKey;
    if (apiKey && !config.headers.has(API_KEY_HEADER)) config.headers.set(API_KEY_HEADER, apiKey);
  }

  async renew(meta: RequestMeta): Promise<boolean> {
    if (!this.mayRefresh(meta)) return false;
    // Another request refreshed while this one was in flight: just use the new token.
    if (this.tokens && this.tokens.accessToken !== meta.tokenUsed && !this.isExpiring()) {
      return true;
    }
    try {
      await this.refresh();
      return true;
    } catch {
      return false;
    }
  }

  /** Whether a refresh can help: we had a token, or a browser may hold a refresh cookie. */
  private mayRefresh(meta: RequestMeta): boolean {
    if (meta.tokenUsed !== undefined) return true;
    if (this.state === 'anonymous') return false;
    return this.options.mode === 'browser' || this.nativeRefreshToken !== undefined;
  }

  // ---------------------------------------------------------------- refresh

  private isExpiring(now = Date.now()): boolean {
    return this.tokens !== null && now >= this.tokens.expiresAt - this.leadMs(this.tokens);
  }

  private leadMs(tokens: SessionTokens): number {
    return Math.min(this.options.refreshLeadMs, tokens.ttlMs / 5);
  }

  private async refreshAcrossTabs(before: string | null): Promise<SessionTokens> {
    const tab = this.crossTab;
    if (!tab?.hasLocks) return this.refreshOverHttp();
    const attempt = await tab.tryLock(() => this.refreshUnlessRenewed(before));
    if (attempt.acquired) return attempt.value;
    // Another tab is refreshing: it broadcasts its tokens before it lets go of the lock.
    await tab.withLock(() => Promise.resolve());
    if (this.renewedSince(before) || (await this.waitForRenewal(before, 250))) return this.tokens!;
    if (this.state === 'anonymous') {
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
    const ended = this.ended;
    const outcome = await this.refreshRequest.send(this.refreshBody());
    // The session ended meanwhile: whatever the refresh brought back belongs to it, and the
    // caller learns only that it was cancelled.
    if (ended !== this.ended) {
      throw outcome instanceof ApiError && outcome.isAborted()
        ? outcome
        : new ApiError({ kind: 'aborted', detail: 'The session ended during the refresh.' });
    }
    if (outcome instanceof ApiError) {
      // 401/403: the session is over (revoked, expired, reused, no cookie). Other failures
      // (network, 5xx) leave it be: the next attempt may work.
      if (outcome.status === 401 || outcome.status === 403) this.end('refresh_failed', outcome);
      throw outcome;
    }
    this.apply(outcome, 'refresh');
    return this.tokens!;
  }

  /** No refresh from now on: neither the timer's nor the request in flight. */
  private stopRefreshing(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.refreshRequest.cancel();
  }

  private setTokens(state: SessionTokens, reason: TokenChangeReason): void {
    this.tokens = state;
    this.state = 'authenticated';
    this.options.hint?.set(true);
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

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    const tokens = this.tokens;
    if (!this.options.proactiveRefresh || !tokens) return;
    const lead = this.leadMs(tokens);
    // Jitter: tabs and clients that got their tokens together do not all refresh at once.
    const at = tokens.expiresAt - lead * (1 + 0.25 * this.options.random());
    this.refreshTimer = setTimeout(
      () => void this.refresh().catch(() => undefined),
      Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS),
    );
    unrefTimer(this.refreshTimer);
  }

  private onTabMessage(message: TabMessage): void {
    if (message.type === 'logout') {
      this.end('other_tab');
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
