export interface BackoffOptions {
  /** The cap of the first delay (attempt 0). */
  baseMs: number;
  /** No delay is longer than this. */
  maxMs: number;
}

/** The largest delay `backoffDelay` may return for this attempt: base · 2^attempt, capped. */
export function backoffCap(attempt: number, { baseMs, maxMs }: BackoffOptions): number {
  // 2 ** 1100 is Infinity, which Math.min turns into maxMs: no overflow to worry about.
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
}

/**
 * Exponential backoff with "equal jitter": a delay in [cap/2, cap], so that clients that failed
 * together do not come back together, yet none retries at once.
 * `attempt` counts from 0 (the delay before the first retry); `random` returns [0, 1).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const cap = backoffCap(attempt, options);
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/** The longest a timer can wait (setTimeout overflows past 2^31 - 1 ms and fires at once). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(Math.max(0, ms), MAX_TIMER_MS),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Lets a timer not keep a Node process alive (no-op in browsers). */
export function unrefTimer(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}
