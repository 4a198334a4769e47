import { randomUUID } from 'node:crypto';
import { type ServerMessage, WS_CLOSE } from '@repo/contracts';
import { type WebSocket } from 'ws';
import { type SocketIdentity } from './ws-authenticator.js';

const RATE_WINDOW_MS = 10_000;

/** One client socket and what the server knows of it. */
export class Connection {
  readonly id = randomUUID();
  identity: SocketIdentity | undefined;
  readonly topics = new Set<string>();
  /** Answered the last heartbeat ping. */
  alive = true;
  forbiddenAttempts = 0;
  /** Holds a lease in realtime_connections (see ConnectionLeases). */
  leased = false;
  private windowStart = Date.now();
  private messagesInWindow = 0;
  private readonly timers = new Map<'auth' | 'expiry', NodeJS.Timeout>();

  constructor(
    readonly socket: WebSocket,
    private readonly maxBufferedBytes: number,
  ) {}

  get userId(): string | undefined {
    return this.identity?.principal.userId;
  }

  /** The server has closed (or is closing) this socket. */
  get closing(): boolean {
    return this.socket.readyState !== this.socket.OPEN;
  }

  get apiKeyId(): string | undefined {
    const principal = this.identity?.principal;
    return principal?.kind === 'api-key' ? principal.apiKeyId : undefined;
  }

  get sessionId(): string | undefined {
    const principal = this.identity?.principal;
    return principal?.kind === 'session' ? principal.sessionId : undefined;
  }

  /** Sends a message, or drops the connection when the client cannot keep up. */
  send(message: ServerMessage) {
    this.sendFrame(JSON.stringify(message));
  }

  /** Sends an already serialised message (one event fanned out to many sockets). */
  sendFrame(frame: string) {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.close(WS_CLOSE.slowConsumer, 'Too slow: the send buffer is full');
      return;
    }
    this.socket.send(frame);
  }

  /** Counts a message against the per-connection rate; false when over it. */
  withinRate(limit: number): boolean {
    const now = Date.now();
    if (now - this.windowStart >= RATE_WINDOW_MS) {
      this.windowStart = now;
      this.messagesInWindow = 0;
    }
    return ++this.messagesInWindow <= limit;
  }

  setTimer(name: 'auth' | 'expiry', ms: number, onFire: () => void) {
    clearTimeout(this.timers.get(name));
    // setTimeout caps at ~24.8 days; tokens never live that long, but stay safe.
    this.timers.set(name, setTimeout(onFire, Math.min(Math.max(ms, 0), 2 ** 31 - 1)));
  }

  clearTimer(name: 'auth' | 'expiry') {
    clearTimeout(this.timers.get(name));
    this.timers.delete(name);
  }

  close(code: number, reason: string) {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (
      this.socket.readyState === this.socket.OPEN ||
      this.socket.readyState === this.socket.CONNECTING
    ) {
      this.socket.close(code, reason);
      // A peer that never answers the close handshake is cut off.
      setTimeout(() => this.socket.terminate(), 2_000).unref();
    }
  }
}
