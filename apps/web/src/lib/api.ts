import { ApiClient, RealtimeClient } from '@repo/client';
import { env } from '@/env';
import { AuthStore } from './auth-store';

/** Milliseconds before a request to the API is given up. */
const API_TIMEOUT_MS = 15_000;

/** The app's connections to the API: one HTTP client, one WebSocket, and the session they share. */
export interface AppClients {
  /** HTTP: access token in memory only, refresh through the httpOnly cookie, shared by all tabs. */
  api: ApiClient;
  /** The WebSocket; authenticates with the access token of `api` and follows its refreshes. */
  realtime: RealtimeClient;
  /** The session as the UI sees it, fed by `api`'s events. */
  auth: AuthStore;
}

function createClients(): AppClients {
  const api = new ApiClient({
    baseUrl: env.NEXT_PUBLIC_API_URL,
    mode: 'browser',
    timeoutMs: API_TIMEOUT_MS,
  });
  const realtime = new RealtimeClient({ url: env.NEXT_PUBLIC_WS_URL, api });
  return { api, realtime, auth: new AuthStore(api) };
}

let clients: AppClients | undefined;

/**
 * The clients of this browser tab, made on first use. Browser only: on the server there is no
 * session to hold, and a module-level client there would be shared by every request. Call it in
 * effects, event handlers and query functions, never while rendering.
 */
export function getClients(): AppClients {
  if (typeof window === 'undefined') {
    throw new Error('getClients() is for the browser: call it in an effect or an event handler');
  }
  return (clients ??= createClients());
}
