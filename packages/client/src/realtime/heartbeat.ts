import { unrefTimer } from '../transport/backoff.js';

export interface HeartbeatOptions {
  intervalMs: number;
  timeoutMs: number;
}

/**
 * Application-level liveness: a ping every interval while none is unanswered, and the connection
 * given up when its pong is late. A network that goes silent closes nothing, so only this notices.
 */
export class Heartbeat {
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly options: HeartbeatOptions,
    /** Sends a ping; false when no connection is open to take one. */
    private readonly ping: () => boolean,
    private readonly lost: (reason: string) => void,
  ) {}

  start(): void {
    const { intervalMs, timeoutMs } = this.options;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (this.pongTimer !== undefined || !this.ping()) return;
      this.pongTimer = setTimeout(() => this.lost(`No pong within ${timeoutMs} ms`), timeoutMs);
    }, intervalMs);
    unrefTimer(this.pingTimer);
  }

  pong(): void {
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }

  stop(): void {
    clearInterval(this.pingTimer);
    this.pong();
  }
}
