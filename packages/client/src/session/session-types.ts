import { type User } from '@repo/contracts';
import { type ApiError } from '../transport/api-error.js';

/**
 * `browser`: the refresh token lives in an httpOnly cookie the client never sees.
 * `native` (Node, scripts, servers): the API sees no Origin and hands the refresh token over in
 * the body; the client keeps it in memory and sends it back in the body.
 */
export type ClientMode = 'browser' | 'native';

/** `unknown`: a browser tab that may have a refresh cookie; no access token yet. */
export type SessionStatus = 'unknown' | 'authenticated' | 'anonymous';

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

export interface SessionEvents {
  tokenChanged: TokenChange;
  /** Emitted once when a session ends: logout, a failed refresh, or a logout in another tab. */
  loggedOut: LoggedOut;
}

/** The session as the client holds it in memory. */
export interface SessionTokens {
  accessToken: string;
  /** Milliseconds since the epoch, a little early (see usableLifetimeMs in session.ts). */
  expiresAt: number;
  /** The access token's usable lifetime, in milliseconds. */
  ttlMs: number;
  user: User | null;
}
