/** Failed deliveries after which an email is given up: logged as an error, left in the outbox. */
export const MAX_ATTEMPTS = 10;

const MAX_DELAY_MS = 15 * 60_000;

/**
 * Exponential backoff: `baseMs` after the first failure, then doubling, at most 15 minutes. With
 * the 30 s default the ten attempts span about an hour and a quarter, enough to ride out a relay
 * outage.
 */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** (attempts - 1), MAX_DELAY_MS);
}
