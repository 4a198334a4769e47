import { type ClientMessage, type ServerMessage, WS_CLOSE } from '@repo/contracts';
import { closeSocket, CurrentSocket } from './current-socket.js';
import { type Emitter } from '../emitter.js';
import { unrefTimer } from '../transport/backoff.js';
import { ReconnectSchedule } from './reconnect-schedule.js';
import { RealtimeError } from './realtime-error.js';
import {
  type RealtimeClientOptions,
  type RealtimeEvents,
  type RealtimeState,
  type WebSocketConstructorLike,
  type WebSocketLike,
} from './realtime-types.js';
import { TokenSource } from './token-source.js';

/** Close code the client uses for connections it gives up on (no pong, no ready). */
const CLIENT_GAVE_UP = 4000;

/** What the connection tells its owner. */
export interface ConnectionHooks {
  /** A frame of the current socket. */
  receive(message: ServerMessage): void;
  /** The socket is gone: nothing sent on it will be answered. */
  lost(error: RealtimeError): void;
}

/**
 * The socket's life, as the states of RealtimeState: opens it, authenticates with the token
 * source's token, waits for `ready`; after a loss reconnects on the schedule, refreshes the token
 * first after 4401, stops for good after 4403, and follows logouts and logins.
 */
export class RealtimeConnection {
  private readonly socket: CurrentSocket;
  private readonly tokens: TokenSource;
  private readonly schedule: ReconnectSchedule;
  private readonly readyTimeoutMs: number;
  private readonly stopFollowingTokens: () => void;
  private current: RealtimeState = 'idle';
  private wanted = false;
  private authSent = false;
  private readyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    url: string,
    options: RealtimeClientOptions,
    private readonly events: Pick<Emitter<RealtimeEvents>, 'emit'>,
    private readonly hooks: ConnectionHooks,
  ) {
    const Socket =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
    if (!Socket) {
      throw new Error(
        'No WebSocket in this runtime: pass { WebSocket } from the "ws" package to RealtimeClient.',
      );
    }
    this.socket = new CurrentSocket(Socket as new (url: string) => WebSocketLike, url);
    this.tokens = new TokenSource(options);
    this.schedule = new ReconnectSchedule(
      {
        baseMs: options.reconnect?.baseDelayMs ?? 500,
        maxMs: options.reconnect?.maxDelayMs ?? 30_000,
        maxAttempts: options.reconnect?.maxAttempts ?? Infinity,
      },
      options.random ?? Math.random,
    );
    this.readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
    this.stopFollowingTokens = this.tokens.onChange((token) => this.onTokenChanged(token));
  }

  get state(): RealtimeState {
    return this.current;
  }

  connect(): void {
    this.wanted = true;
    if (this.current === 'idle' || this.current === 'closed' || this.current === 'reconnecting') {
      this.schedule.reset();
      this.open();
    }
  }

  close(): void {
    this.wanted = false;
    this.schedule.cancel();
    const socket = this.teardown(new RealtimeError('closed', 'The realtime client was closed'));
    if (socket) closeSocket(socket, 1000, 'Client closed');
    this.setState('closed');
    if (socket)
      this.events.emit('closed', { code: 1000, reason: 'Client closed', willReconnect: false });
  }

  /** `close()`, and stops following the token source. */
  dispose(): void {
    this.close();
    this.stopFollowingTokens();
  }

  /** Sends when the socket is open; otherwise the message is lost (callers queue first). */
  send(message: ClientMessage): void {
    this.socket.send(message);
  }

  /** The server's `ready`: true when it opens the connection, false for a re-authentication. */
  ready(): boolean {
    clearTimeout(this.readyTimer);
    if (this.current === 'open') return false;
    this.schedule.reset();
    this.setState('open');
    return true;
  }

  /** The connection is dead without a close (no pong, no ready): drop it and reconnect. */
  giveUp(reason: string): void {
    const socket = this.socket.release(); // its late events no longer count
    if (socket) closeSocket(socket, CLIENT_GAVE_UP, reason);
    this.onClose(WS_CLOSE.heartbeatLost, reason);
  }

  private setState(state: RealtimeState): void {
    const previous = this.current;
    if (previous === state) return;
    this.current = state;
    this.events.emit('state', { state, previous });
  }

  private open(): void {
    this.schedule.cancel();
    this.authSent = false;
    try {
      this.socket.open({
        open: () => void this.authenticate(this.socket.version),
        message: (message) => this.hooks.receive(message),
        close: (code, reason) => this.onClose(code, reason),
      });
    } catch (error) {
      console.error('[@repo/client] could not open a WebSocket', error);
      this.setState('closed');
      this.wanted = false;
      return;
    }
    this.setState('connecting');
  }

  private async authenticate(generation: number): Promise<void> {
    this.setState('authenticating');
    const token = await this.tokens.get();
    if (generation !== this.socket.version) return;
    if (!token) {
      this.drop('No access token', 'No token');
      if (this.tokens.sessionPending) {
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
    this.send({ type: 'auth', token });
  }

  private onClose(code: number, reason: string): void {
    this.teardown(new RealtimeError('connection_lost', `Connection closed (${code})`));
    // 4403: the server says this client misbehaves, and reconnecting would only repeat it.
    if (!this.wanted || code === WS_CLOSE.forbidden) {
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
    const generation = this.socket.version;
    await this.tokens.refresh();
    if (generation !== this.socket.version || !this.wanted || this.current !== 'reconnecting')
      return;
    if (this.tokens.loggedOut) {
      this.setState('idle');
      return;
    }
    this.scheduleReconnect(WS_CLOSE.unauthenticated, 'Re-authenticating', 0, false);
  }

  private scheduleReconnect(code: number, reason: string, minDelayMs: number, announce = true) {
    const delayMs = this.schedule.next(minDelayMs);
    if (delayMs === undefined) {
      this.wanted = false;
      this.setState('closed');
      if (announce) this.events.emit('closed', { code, reason, willReconnect: false });
      return;
    }
    this.setState('reconnecting');
    if (announce) this.events.emit('closed', { code, reason, willReconnect: true, delayMs });
    this.schedule.arm(delayMs, () => {
      if (this.wanted) this.open();
    });
  }

  private onTokenChanged(accessToken: string | null): void {
    if (accessToken === null) {
      // Logged out: drop the socket; a later login reconnects if still wanted.
      if (this.wanted && this.current !== 'idle') {
        this.schedule.cancel();
        this.drop('Logged out', 'Logged out');
        this.setState('idle');
      }
      return;
    }
    if (this.authSent && (this.current === 'open' || this.current === 'authenticating')) {
      this.sendAuth(accessToken); // the server answers with a new `ready`
    } else if (this.wanted && this.current === 'idle') {
      this.schedule.reset();
      this.open();
    }
  }

  /** Closes the socket on purpose (1000), failing what awaits an answer on it. */
  private drop(why: string, reason: string): void {
    const socket = this.teardown(new RealtimeError('connection_lost', why));
    if (socket) closeSocket(socket, 1000, reason);
  }

  /** Lets the socket and its ready timer go, the owner failing what awaited it; returns the socket. */
  private teardown(error: RealtimeError): WebSocketLike | undefined {
    clearTimeout(this.readyTimer);
    const socket = this.socket.release();
    this.authSent = false;
    this.hooks.lost(error);
    return socket;
  }
}
