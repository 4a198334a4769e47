import { backoffDelay } from './backoff.js';

/** Methods that may be sent twice without changing the outcome (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'];

/** Answers that say "not now, try again": rate limited, or a gateway without a healthy upstream. */
const RETRYABLE_STATUSES: readonly number[] = [429, 502, 503, 504];

export const isIdempotent = (method: string | undefined): boolean =>
  IDEMPOTENT_METHODS.includes((method ?? 'GET').toUpperCase());

export interface RetryOptions {
  /** Retries after the first attempt (0: none). */
  retries: number;
  /** Backoff of the first retry (it doubles each time, with jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error goes to the caller. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  retries: 3,
  baseDelayMs: 300,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/**
 * A Retry-After header in milliseconds: delta-seconds ("120") or an HTTP date
 * ("Wed, 21 Oct 2026 07:28:00 GMT"). Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names its weekday or month: refuses bare numbers such as "1.5" or "-3".
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** What went wrong with one attempt, as the retry policy needs to know it. */
export interface AttemptFailure {
  method: string | undefined;
  /** The HTTP status; undefined when no response came. */
  status: number | undefined;
  /** For failures without a response. */
  kind?: 'network' | 'timeout' | 'cors' | 'aborted';
  retryAfterMs?: number | undefined;
}

/**
 * How long to wait before retrying, or null not to retry. Only idempotent methods are retried
 * (a POST that timed out may have been applied), and only on failures that a retry can fix:
 * no response at all (connection refused or reset), 429 and 502/503/504. Timeouts and aborts
 * are not retried: the caller's time budget is spent. Retry-After, when given, is honoured.
 * `attempt` counts the retries made so far (0 before the first retry).
 */
export function retryDelay(
  failure: AttemptFailure,
  attempt: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number | null {
  if (attempt >= options.retries || !isIdempotent(failure.method)) return null;
  const backoff = backoffDelay(
    attempt,
    { baseMs: options.baseDelayMs, maxMs: options.maxDelayMs },
    random,
  );
  if (failure.status === undefined) {
    return failure.kind === 'network' || failure.kind === 'cors' ? backoff : null;
  }
  if (!RETRYABLE_STATUSES.includes(failure.status)) return null;
  const retryAfter = failure.retryAfterMs;
  if (retryAfter === undefined) return backoff;
  return retryAfter > options.maxRetryAfterMs ? null : Math.max(retryAfter, backoff);
}
