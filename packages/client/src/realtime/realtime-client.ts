import {
  type ClientMessage,
  type ServerMessage,
  serverMessageSchema,
  topicSchema,
  userTopic,
  WS_CLOSE,
  WS_PATH,
  type WsErrorCode,
} from '@repo/contracts';
import { type ApiClient } from '../api-client.js';
import { backoffDelay, unrefTimer } from '../transport/backoff.js';
import { BoundedQueue } from './bounded-queue.js';
import { Emitter } from '../emitter.js';

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
  dropped: { message: Extract<ClientMessage, { type: 'publish' }>; dropped: number };
}

/** Why a `publish` failed. */
export class RealtimeError extends Error {
  override readonly name = 'RealtimeError';
  constructor(
    readonly code: 'dropped' | 'connection_lost' | 'timeout' | 'closed' | WsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** ws(s)://host/ws from the API base URL http(s)://host/api/v1. */
export function realtimeUrl(apiBaseUrl: string): string {
  const url = new URL(apiBaseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = WS_PATH;
  url.search = '';
  url.hash = '';
  return url.toString();
}

const OPEN = 1;
const MAX_TOPICS_PER_FRAME = 20;
/** Close code the client uses for connections it gives up on (no pong, no ready). */
const CLIENT_GAVE_UP = 4000;

interface Pending {
  resolve: () => void;
  reject: (error: RealtimeError) => void;
  timer?: ReturnType<typeof setTimeout>;
}

type PublishMessage = Extract<ClientMessage, { type: 'publish' }>;

interface Outgoing {
  message: PublishMessage;
  pending?: Pending;
}

function textOf(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) {
    return new TextDecoder().decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return String(data);
}

/**
 * The realtime connection (docs/realtime.md): authenticates with an `auth` frame,
 * reconnects with capped exponential backoff and jitter, resubscribes every topic, queues
 * publishes while disconnected (bounded), checks liveness with ping/pong, re-authenticates after
 * each token refresh, and after a 4401 close refreshes the token before reconnecting.
 */
export class RealtimeClient {
  readonly url: string;
  private readonly events = new Emitter<RealtimeEvents>();
  private readonly Socket: new (url: string) => WebSocketLike;
  private readonly api: RealtimeTokenSource | undefined;
  private readonly reconnectOptions: { baseMs: number; maxMs: number; maxAttempts: number };
  private readonly heartbeat: { intervalMs: number; timeoutMs: number } | false;
  private readonly readyTimeoutMs: number;
  private readonly ackTimeoutMs: number;
  private readonly random: () => number;
  private readonly queue: BoundedQueue<Outgoing>;
  private readonly topics = new Map<string, Set<EventHandler>>();
  private readonly userHandlers = new Set<EventHandler>();
  private readonly pending = new Map<string, Pending>();
  /** Subscribe frames waiting for their ack: id → topics. */
  private readonly pendingSubscribes = new Map<string, string[]>();
  private readonly unlisten: (() => void)[] = [];

  private current: RealtimeState = 'idle';
  private socket: WebSocketLike | undefined;
  /** Bumped for every socket: callbacks of older sockets are ignored. */
  private generation = 0;
  private wanted = false;
  private attempt = 0;
  private nextId = 0;
  private authSent = false;
  private identity: { connectionId: string; userId: string } | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private readyTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: RealtimeClientOptions) {
    this.url = options.url;
    const Socket =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
    if (!Socket) {
      throw new Error(
        'No WebSocket in this runtime: pass { WebSocket } from the "ws" package to RealtimeClient.',
      );
    }
    this.Socket = Socket as new (url: string) => WebSocketLike;
    this.api = options.api;
    this.reconnectOptions = {
      baseMs: options.reconnect?.baseDelayMs ?? 500,
      maxMs: options.reconnect?.maxDelayMs ?? 30_000,
      maxAttempts: options.reconnect?.maxAttempts ?? Infinity,
    };
    this.heartbeat =
      options.heartbeat === false
        ? false
        : {
            intervalMs: options.heartbeat?.intervalMs ?? 20_000,
            timeoutMs: options.heartbeat?.timeoutMs ?? 10_000,
          };
    this.readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.random = options.random ?? Math.random;
    this.queue = new BoundedQueue(options.maxQueue ?? 100);
    if (this.api) {
      this.unlisten.push(
        this.api.on('tokenChanged', ({ accessToken }) => this.onTokenChanged(accessToken)),
      );
    }
  }

  get state(): RealtimeState {
    return this.current;
  }

  /** The user the server authenticated (from `ready`). */
  get userId(): string | undefined {
    return this.identity?.userId;
  }

  get connectionId(): string | undefined {
    return this.identity?.connectionId;
  }

  /** Messages waiting for the connection. */
  get queued(): number {
    return this.queue.size;
  }

  /** Messages dropped because the queue was full. */
  get droppedCount(): number {
    return this.queue.dropped;
  }

  /** Topics subscribed to (resubscribed after every reconnect). */
  get subscribedTopics(): string[] {
    return [...this.topics.keys()];
  }

  on<K extends keyof RealtimeEvents>(
    event: K,
    listener: (payload: RealtimeEvents[K]) => void,
  ): () => void {
    return this.events.on(event, listener);
  }

  once<K extends keyof RealtimeEvents>(
    event: K,
    listener: (payload: RealtimeEvents[K]) => void,
  ): () => void {
    return this.events.once(event, listener);
  }

  /** Starts (or restarts) connecting; keeps reconnecting until `close()`. */
  connect(): void {
    this.wanted = true;
    if (this.current === 'idle' || this.current === 'closed' || this.current === 'reconnecting') {
      this.attempt = 0;
      this.open();
    }
  }

  /** Closes the connection and stops reconnecting. Subscriptions are kept for a later `connect()`. */
  close(): void {
    this.wanted = false;
    clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    this.teardown(new RealtimeError('closed', 'The realtime client was closed'));
    if (socket) this.closeSocket(socket, 1000, 'Client closed');
    this.setState('closed');
    if (socket)
      this.events.emit('closed', { code: 1000, reason: 'Client closed', willReconnect: false });
  }

  /** `close()`, and stops listening to the ApiClient. */
  dispose(): void {
    this.close();
    for (const off of this.unlisten.splice(0)) off();
    this.events.removeAllListeners();
  }

  /**
   * Handles the events of a topic (`room:<name>`, `broadcast`, or your own `user:<id>`).
   * The first handler of a topic subscribes; the returned function removes this handler, and the
   * last one unsubscribes. Subscriptions survive reconnects.
   */
  subscribe(topic: string, handler: EventHandler): () => void {
    if (!topicSchema.safeParse(topic).success) {
      throw new TypeError(`Not a topic: ${topic} (user:<id>, broadcast or room:<name>)`);
    }
    let handlers = this.topics.get(topic);
    if (!handlers) {
      this.topics.set(topic, (handlers = new Set()));
      if (this.current === 'open') this.sendSubscribe([topic]);
    }
    handlers.add(handler);
    return () => {
      const set = this.topics.get(topic);
      if (!set?.delete(handler) || set.size > 0) return;
      this.topics.delete(topic);
      if (this.current === 'open') this.sendNow({ type: 'unsubscribe', topics: [topic] });
    };
  }

  /**
   * Handles the events of the authenticated user's own topic (`user:<id>`, joined by the server
   * on its own): `user.updated`, `session.revoked`, and those of the app's features.
   */
  onUserEvent(handler: EventHandler): () => void {
    this.userHandlers.add(handler);
    return () => this.userHandlers.delete(handler);
  }

  /**
   * Publishes to a `room:<name>`; resolves on the server's ack. While disconnected the message
   * waits in the bounded queue (rejected with `dropped` if pushed out). Safe to not await.
   */
  publish(topic: string, data: unknown): Promise<void> {
    if (!topic.startsWith('room:') || !topicSchema.safeParse(topic).success) {
      // The server counts publishes elsewhere as abuse (4403 after a few): refuse them here.
      throw new TypeError(`Only room:<name> topics take publishes, not ${topic}`);
    }
    const id = this.newId();
    const promise = new Promise<void>((resolve, reject) => {
      const pending: Pending = { resolve, reject };
      const message: PublishMessage = { type: 'publish', topic, data, id };
      if (this.current === 'open') {
        this.track(id, pending);
        this.sendNow(message);
      } else {
        const dropped = this.queue.push({ message, pending });
        if (dropped) this.onDropped(dropped);
      }
    });
    promise.catch(() => undefined); // callers that ignore it get no unhandled rejection
    return promise;
  }

  // ---------------------------------------------------------------- connection

  private setState(state: RealtimeState): void {
    const previous = this.current;
    if (previous === state) return;
    this.current = state;
    this.events.emit('state', { state, previous });
  }

  private open(): void {
    clearTimeout(this.reconnectTimer);
    const generation = ++this.generation;
    this.authSent = false;
    let socket: WebSocketLike;
    try {
      socket = new this.Socket(this.url);
    } catch (error) {
      console.error('[@repo/client] could not open a WebSocket', error);
      this.setState('closed');
      this.wanted = false;
      return;
    }
    this.socket = socket;
    this.setState('connecting');
    socket.onopen = () => {
      if (generation === this.generation) void this.authenticate(generation);
    };
    socket.onmessage = (event) => {
      if (generation === this.generation) this.receive(event.data);
    };
    socket.onclose = (event) => {
      if (generation === this.generation) this.onClose(event.code, event.reason);
    };
    socket.onerror = () => undefined; // a close event follows
  }

  private async token(): Promise<string | null> {
    if (this.options.getToken) return (await this.options.getToken()) ?? null;
    const api = this.api;
    if (!api) return null;
    if (api.accessToken) return api.accessToken;
    if (api.sessionStatus === 'anonymous') return null;
    try {
      return (await api.refreshSession()).accessToken;
    } catch {
      return null;
    }
  }

  private async authenticate(generation: number): Promise<void> {
    this.setState('authenticating');
    const token = await this.token();
    if (generation !== this.generation) return;
    if (!token) {
      const socket = this.socket;
      this.teardown(new RealtimeError('connection_lost', 'No access token'));
      if (socket) this.closeSocket(socket, 1000, 'No token');
      if (this.api && this.api.sessionStatus !== 'anonymous') {
        // A session whose refresh failed for now (network, 5xx): try again later.
        this.scheduleReconnect(1000, 'No access token yet', 0);
      } else {
        // Nobody is logged in: wait for a login (tokenChanged) rather than hammering the server.
        this.setState('idle');
      }
      return;
    }
    this.sendAuth(token);
    this.readyTimer = setTimeout(
      () => this.giveUp(`No ready within ${this.readyTimeoutMs} ms`),
      this.readyTimeoutMs,
    );
    unrefTimer(this.readyTimer);
  }

  private sendAuth(token: string): void {
    this.authSent = true;
    this.sendNow({ type: 'auth', token });
  }

  private receive(data: unknown): void {
    let parsed: ServerMessage;
    try {
      const result = serverMessageSchema.safeParse(JSON.parse(textOf(data)));
      if (!result.success) return;
      parsed = result.data;
    } catch {
      return;
    }
    switch (parsed.type) {
      case 'ready':
        return this.onReady(parsed);
      case 'event':
        return this.dispatch(parsed);
      case 'pong':
        clearTimeout(this.pongTimer);
        this.pongTimer = undefined;
        return;
      case 'ack':
        this.pendingSubscribes.delete(parsed.id);
        return this.settle(parsed.id);
      case 'error':
        return this.onServerError(parsed);
    }
  }

  private onReady(ready: { connectionId: string; userId: string }): void {
    clearTimeout(this.readyTimer);
    this.identity = { connectionId: ready.connectionId, userId: ready.userId };
    if (this.current !== 'open') {
      this.attempt = 0;
      this.setState('open');
      const topics = [...this.topics.keys()];
      for (let i = 0; i < topics.length; i += MAX_TOPICS_PER_FRAME) {
        this.sendSubscribe(topics.slice(i, i + MAX_TOPICS_PER_FRAME));
      }
      for (const { message, pending } of this.queue.drain()) {
        if (pending && message.id) this.track(message.id, pending);
        this.sendNow(message);
      }
      this.startHeartbeat();
    }
    this.events.emit('ready', this.identity);
  }

  private dispatch(event: ServerEvent): void {
    for (const handler of [...(this.topics.get(event.topic) ?? [])]) this.call(handler, event);
    if (this.identity && event.topic === userTopic(this.identity.userId)) {
      for (const handler of [...this.userHandlers]) this.call(handler, event);
    }
    this.events.emit('event', event);
  }

  private call(handler: EventHandler, event: ServerEvent): void {
    try {
      handler(event);
    } catch (error) {
      console.error(`[@repo/client] a handler of ${event.topic} threw`, error);
    }
  }

  private onServerError(error: { code: WsErrorCode; message: string; id?: string | undefined }) {
    const topics = error.id ? this.pendingSubscribes.get(error.id) : undefined;
    if (error.id) {
      this.pendingSubscribes.delete(error.id);
      this.settle(error.id, new RealtimeError(error.code, error.message));
    }
    // A refused subscription is forgotten: resubscribing would only earn a 4403.
    for (const topic of topics ?? []) this.topics.delete(topic);
    this.events.emit('serverError', {
      code: error.code,
      message: error.message,
      ...(error.id ? { id: error.id } : {}),
      ...(topics ? { topics } : {}),
    });
  }

  private onClose(code: number, reason: string): void {
    this.teardown(new RealtimeError('connection_lost', `Connection closed (${code})`));
    if (!this.wanted) {
      this.setState('closed');
      this.events.emit('closed', { code, reason, willReconnect: false });
      return;
    }
    if (code === WS_CLOSE.forbidden) {
      // The server says this client misbehaves: reconnecting would only repeat it.
      this.wanted = false;
      this.setState('closed');
      this.events.emit('closed', { code, reason, willReconnect: false });
      return;
    }
    if (code === WS_CLOSE.unauthenticated) {
      this.setState('reconnecting');
      this.events.emit('closed', { code, reason, willReconnect: true });
      void this.refreshThenReconnect();
      return;
    }
    this.scheduleReconnect(code, reason, code === WS_CLOSE.rateLimited ? 5_000 : 0);
  }

  /** After 4401: a fresh token first (no refresh: a logged-out user just waits for a login). */
  private async refreshThenReconnect(): Promise<void> {
    const generation = this.generation;
    try {
      if (this.api) await this.api.refreshSession();
      else await this.options.refresh?.();
    } catch {
      // Logged out: the token source says so below. Network trouble: the backoff retries.
    }
    if (generation !== this.generation || !this.wanted || this.current !== 'reconnecting') return;
    if (this.api && this.api.sessionStatus === 'anonymous') {
      this.setState('idle');
      return;
    }
    this.scheduleReconnect(WS_CLOSE.unauthenticated, 'Re-authenticating', 0, false);
  }

  private scheduleReconnect(code: number, reason: string, minDelayMs: number, announce = true) {
    if (this.attempt >= this.reconnectOptions.maxAttempts) {
      this.wanted = false;
      this.setState('closed');
      if (announce) this.events.emit('closed', { code, reason, willReconnect: false });
      return;
    }
    const delayMs = Math.max(
      minDelayMs,
      backoffDelay(this.attempt++, this.reconnectOptions, this.random),
    );
    this.setState('reconnecting');
    if (announce) this.events.emit('closed', { code, reason, willReconnect: true, delayMs });
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      if (this.wanted) this.open();
    }, delayMs);
  }

  /** The connection is dead without a close (no pong, no ready): drop it and reconnect. */
  private giveUp(reason: string): void {
    const socket = this.socket;
    this.generation++; // its late events no longer count
    if (socket) this.closeSocket(socket, CLIENT_GAVE_UP, reason);
    this.onClose(WS_CLOSE.heartbeatLost, reason);
  }

  private closeSocket(socket: WebSocketLike, code: number, reason: string): void {
    socket.onopen = socket.onmessage = socket.onerror = null;
    socket.onclose = null;
    try {
      if (socket.terminate && code !== 1000) socket.terminate();
      else socket.close(code, reason);
    } catch {
      // Already closed.
    }
  }

  /** Forgets the connection's timers and in-flight acks. */
  private teardown(error: RealtimeError): void {
    clearTimeout(this.readyTimer);
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
    this.socket = undefined;
    this.generation++;
    this.authSent = false;
    this.pendingSubscribes.clear();
    for (const id of [...this.pending.keys()]) this.settle(id, error);
  }

  private startHeartbeat(): void {
    const heartbeat = this.heartbeat;
    if (!heartbeat) return;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (this.pongTimer !== undefined || this.current !== 'open') return;
      this.sendNow({ type: 'ping', id: this.newId() });
      this.pongTimer = setTimeout(
        () => this.giveUp(`No pong within ${heartbeat.timeoutMs} ms`),
        heartbeat.timeoutMs,
      );
    }, heartbeat.intervalMs);
    unrefTimer(this.pingTimer);
  }

  private onTokenChanged(accessToken: string | null): void {
    if (accessToken === null) {
      // Logged out: drop the socket; a later login reconnects if still wanted.
      if (this.wanted && this.current !== 'idle') {
        const socket = this.socket;
        clearTimeout(this.reconnectTimer);
        this.teardown(new RealtimeError('connection_lost', 'Logged out'));
        if (socket) this.closeSocket(socket, 1000, 'Logged out');
        this.setState('idle');
      }
      return;
    }
    if (this.authSent && (this.current === 'open' || this.current === 'authenticating')) {
      this.sendAuth(accessToken); // the server answers with a new `ready`
    } else if (this.wanted && this.current === 'idle') {
      this.attempt = 0;
      this.open();
    }
  }

  // ---------------------------------------------------------------- sending

  private newId(): string {
    return `c${++this.nextId}`;
  }

  private sendNow(message: ClientMessage): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return;
    try {
      socket.send(JSON.stringify(message));
    } catch (error) {
      console.error('[@repo/client] could not send on the WebSocket', error);
    }
  }

  private sendSubscribe(topics: string[]): void {
    const id = this.newId();
    this.pendingSubscribes.set(id, topics);
    this.sendNow({ type: 'subscribe', topics, id });
  }

  private track(id: string, pending: Pending): void {
    pending.timer = setTimeout(
      () => this.settle(id, new RealtimeError('timeout', `No ack within ${this.ackTimeoutMs} ms`)),
      this.ackTimeoutMs,
    );
    unrefTimer(pending.timer);
    this.pending.set(id, pending);
  }

  private settle(id: string, error?: RealtimeError): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve();
  }

  private onDropped(item: Outgoing): void {
    item.pending?.reject(
      new RealtimeError('dropped', 'The outgoing queue was full: the oldest message was dropped'),
    );
    this.events.emit('dropped', { message: item.message, dropped: this.queue.dropped });
  }
}
