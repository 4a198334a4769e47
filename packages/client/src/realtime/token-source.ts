import { type RealtimeClientOptions } from './realtime-types.js';

/** Where the socket's access token comes from: an ApiClient, or a getter and a refresh function. */
export class TokenSource {
  constructor(
    private readonly options: Pick<RealtimeClientOptions, 'api' | 'getToken' | 'refresh'>,
  ) {}

  /** The ApiClient knows nobody is logged in. */
  get loggedOut(): boolean {
    return this.options.api?.sessionStatus === 'anonymous';
  }

  /** The ApiClient holds a session, or may: a token missing now may come later. */
  get sessionPending(): boolean {
    const api = this.options.api;
    return api !== undefined && api.sessionStatus !== 'anonymous';
  }

  /** The token to authenticate with, refreshing the session first when it has none. */
  async get(): Promise<string | null> {
    const { api, getToken } = this.options;
    if (getToken) return (await getToken()) ?? null;
    if (!api) return null;
    if (api.accessToken) return api.accessToken;
    if (api.sessionStatus === 'anonymous') return null;
    try {
      return (await api.refreshSession()).accessToken;
    } catch {
      return null;
    }
  }

  /** After a 4401: renews the token. A failure is left to `loggedOut` and the next attempt. */
  async refresh(): Promise<void> {
    try {
      if (this.options.api) await this.options.api.refreshSession();
      else await this.options.refresh?.();
    } catch {
      // Logged out: `loggedOut` says so. Network trouble: the backoff retries.
    }
  }

  /** Follows the ApiClient's tokens (a login, a refresh, a logout); returns how to stop. */
  onChange(listener: (accessToken: string | null) => void): () => void {
    return (
      this.options.api?.on('tokenChanged', ({ accessToken }) => listener(accessToken)) ??
      (() => undefined)
    );
  }
}
