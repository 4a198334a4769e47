import { type ClientMessage, type ServerMessage, type WsErrorCode } from '@repo/contracts';
import { type ApiClient } from '../api-client.js';

/**
 * `idle`: not started, or started and waiting for a login. `connecting`: the socket is opening.
 * `authenticating`: open, `auth` sent, waiting for `ready`. `open`: ready. `reconnecting`: lost,
 * a new attempt is scheduled. `closed`: stopped by `close()`, or for good (4403).
 */
export type RealtimeState =
  'idle' | 'connecting' | 'authenticating' | 'open' | 'reconnecting' | 'closed';

export type ServerEvent = Extract<ServerMessage, { type: 'event' }>;
export type EventHandler = (event: ServerEvent) => void;

/** What the client needs of a WebSocket: the browser's, Node's global one and `ws` all fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drops the connection without a closing handshake. */
  terminate?(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** A WebSocket constructor: `globalThis.WebSocket`, or `WebSocket` from the `ws` package. */
export type WebSocketConstructorLike = new (url: string, protocols?: string | string[]) => object;

/** The part of ApiClient the realtime client uses. */
export type RealtimeTokenSource = Pick<
  ApiClient,
  'accessToken' | 'sessionStatus' | 'refreshSession' | 'on'
>;

export interface RealtimeClientOptions {
  /** ws(s)://host/ws — see `realtimeUrl()` to derive it from the API base URL. */
  url: string;
  /** Token source: its access token is sent, its refreshes re-authenticate the socket. */
  api?: RealtimeTokenSource;
  /** Token source without an ApiClient. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Without an ApiClient: renews the token after a 4401 close. */
  refresh?: () => Promise<unknown>;
  /** Default `globalThis.WebSocket`; in Node < 22 pass `WebSocket` from `ws`. */
  WebSocket?: WebSocketConstructorLike;
  reconnect?: { baseDelayMs?: number; maxDelayMs?: number; maxAttempts?: number };
  /** Application-level ping/pong; false to turn off. */
  heartbeat?: { intervalMs?: number; timeoutMs?: number } | false;
  /** Messages kept while disconnected; the oldest is dropped beyond this. Default 100. */
  maxQueue?: number;
  /** How long to wait for `ready` after sending `auth`. Default 10 s. */
  readyTimeoutMs?: number;
  /** How long `publish` waits for its `ack`. Default 10 s. */
  ackTimeoutMs?: number;
  random?: () => number;
}

export type PublishMessage = Extract<ClientMessage, { type: 'publish' }>;

export interface RealtimeEvents {
  state: { state: RealtimeState; previous: RealtimeState };
  /** After every `auth` (the first, and each re-auth after a token refresh). */
  ready: { connectionId: string; userId: string };
  /** Every event received, whatever the topic. */
  event: ServerEvent;
  /** An `error` frame (the connection stays open). `topics`: subscriptions the server refused. */
  serverError: { code: WsErrorCode; message: string; id?: string; topics?: string[] };
  /** The socket closed; `delayMs` until the next attempt when one is scheduled. */
  closed: { code: number; reason: string; willReconnect: boolean; delayMs?: number };
  /** The outgoing queue was full: its oldest message was dropped. */
  dropped: { message: PublishMessage; dropped: number };
}
