import { backoffDelay, type BackoffOptions } from '../transport/backoff.js';

export interface ReconnectOptions extends BackoffOptions {
  maxAttempts: number;
}

/**
 * When to try a lost connection again: capped exponential backoff with jitter, counted from the
 * last connection that became ready, so that a flapping server is not hammered.
 */
export class ReconnectSchedule {
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly options: ReconnectOptions,
    private readonly random: () => number,
  ) {}

  /** A connection became ready (or one is asked for anew): the backoff starts over. */
  reset(): void {
    this.attempt = 0;
  }

  /** The wait before the next attempt, at least `minDelayMs`; undefined once out of attempts. */
  next(minDelayMs: number): number | undefined {
    if (this.attempt >= this.options.maxAttempts) return undefined;
    return Math.max(minDelayMs, backoffDelay(this.attempt++, this.options, this.random));
  }

  /** Runs `retry` after `delayMs`, instead of any attempt armed before. */
  arm(delayMs: number, retry: () => void): void {
    this.cancel();
    this.timer = setTimeout(retry, delayMs);
  }

  cancel(): void {
    clearTimeout(this.timer);
  }
}
