import { type ApiClient, ApiError } from '@repo/client';
import { type User } from '@repo/contracts';

/**
 * `restoring`: the tab has just loaded and is asking the API, through the refresh cookie, whether
 * a session exists. `authenticated`: an access token is held in memory. `anonymous`: nobody is
 * logged in (or the session could not be checked: see `restoreError`).
 */
type AuthStatus = 'restoring' | 'authenticated' | 'anonymous';

/**
 * Why the session of this tab ended: `logout` (here), `other_tab` (logout in another tab),
 * `expired` (the refresh failed: revoked elsewhere, expired or reused), `revoked` (this session
 * was ended from the sessions list of another device).
 */
export type EndReason = 'logout' | 'other_tab' | 'expired' | 'revoked';

export interface AuthSnapshot {
  status: AuthStatus;
  user: User | null;
  /** The session could not be checked on load (API unreachable, 5xx): retry with `restore()`. */
  restoreError: ApiError | null;
  /** Set when a session of this tab ended, until the next login. */
  ended: EndReason | null;
}

/** The part of ApiClient the store uses (a fake one in tests). */
export type AuthApi = Pick<ApiClient, 'on' | 'sessionStatus' | 'user' | 'refreshSession'> & {
  clearSession(): void;
  auth: Pick<ApiClient['auth'], 'logout' | 'logoutAll'>;
};

const INITIAL: AuthSnapshot = { status: 'restoring', user: null, restoreError: null, ended: null };

/** The snapshot servers render with: nothing is known about the session there. */
export const SERVER_AUTH_SNAPSHOT: AuthSnapshot = INITIAL;

/**
 * The session state the UI renders from, kept in step with the ApiClient's events (logins,
 * refreshes, logouts in this or another tab). An external store for `useSyncExternalStore`: the
 * snapshot is replaced, never mutated.
 */
export class AuthStore {
  private snapshot: AuthSnapshot;
  private readonly listeners = new Set<() => void>();
  private restoring: Promise<void> | undefined;
  private revokedPending = false;
  /** A logout asked for in this tab is under way: whatever ends the session, it is that. */
  private loggingOut = false;

  constructor(private readonly api: AuthApi) {
    this.snapshot =
      api.sessionStatus === 'authenticated'
        ? { ...INITIAL, status: 'authenticated', user: api.user }
        : api.sessionStatus === 'anonymous'
          ? { ...INITIAL, status: 'anonymous' }
          : INITIAL;
    api.on('tokenChanged', (change) => {
      if (change.accessToken) {
        this.set({
          status: 'authenticated',
          user: change.user ?? this.snapshot.user,
          restoreError: null,
          ended: null,
        });
      } else {
        this.set({ ...this.snapshot, status: 'anonymous', user: null });
      }
    });
    api.on('loggedOut', ({ reason }) => {
      const ended: EndReason = this.loggingOut
        ? 'logout'
        : this.revokedPending
          ? 'revoked'
          : reason === 'refresh_failed'
            ? 'expired'
            : reason;
      this.revokedPending = false;
      this.set({ status: 'anonymous', user: null, restoreError: null, ended });
    });
  }

  getSnapshot = (): AuthSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * On load: asks the API for a session through the refresh cookie (one request for all tabs).
   * Safe to call again: it does nothing while a session is held or being checked.
   */
  restore(): Promise<void> {
    if (this.snapshot.status === 'authenticated') return Promise.resolve();
    if (this.api.sessionStatus === 'anonymous') {
      this.set({ ...this.snapshot, status: 'anonymous' });
      return Promise.resolve();
    }
    this.restoring ??= this.doRestore().finally(() => {
      this.restoring = undefined;
    });
    return this.restoring;
  }

  private async doRestore(): Promise<void> {
    this.set({ ...this.snapshot, status: 'restoring', restoreError: null });
    try {
      await this.api.refreshSession();
      // tokenChanged has set the state; this covers a client that emitted nothing new.
      if (this.snapshot.status !== 'authenticated') {
        this.set({ ...this.snapshot, status: 'authenticated', user: this.api.user });
      }
    } catch (error) {
      // A 401/403 means "no session" (the client is anonymous now); anything else means the
      // API could not say (unreachable, 5xx): the UI offers to try again.
      const unknown = this.api.sessionStatus !== 'anonymous';
      this.set({
        ...this.snapshot,
        status: 'anonymous',
        user: null,
        restoreError: unknown
          ? ApiError.is(error)
            ? error
            : new ApiError({ kind: 'network', detail: String(error), cause: error })
          : null,
      });
    }
  }

  /** The profile changed (a save here, or `user.updated` from the server). */
  setUser(user: User): void {
    if (this.snapshot.status !== 'authenticated') return;
    if (this.snapshot.user && this.snapshot.user.id !== user.id) return;
    this.set({ ...this.snapshot, user });
  }

  /**
   * Logs out here (and, through the client, in the other tabs). While the request runs, the
   * server's `session.revoked` and the socket's close reach this tab too: they are this logout.
   */
  async logout(everywhere = false): Promise<void> {
    this.loggingOut = true;
    try {
      await (everywhere ? this.api.auth.logoutAll() : this.api.auth.logout());
    } finally {
      this.loggingOut = false;
    }
  }

  /** This tab's session was revoked elsewhere: end it here at once (and in the other tabs). */
  endRevoked(): void {
    if (this.snapshot.status !== 'authenticated' || this.loggingOut) return;
    this.revokedPending = true;
    this.api.clearSession();
    this.revokedPending = false;
  }

  private set(next: AuthSnapshot): void {
    const current = this.snapshot;
    if (
      current.status === next.status &&
      current.user === next.user &&
      current.restoreError === next.restoreError &&
      current.ended === next.ended
    ) {
      return;
    }
    this.snapshot = next;
    for (const listener of [...this.listeners]) listener();
  }
}
