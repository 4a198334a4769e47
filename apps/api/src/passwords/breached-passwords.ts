import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Config } from '../core/config/config.js';

/** A registration or password change waits this long at most for the range API. */
export const BREACH_CHECK_TIMEOUT_MS = 1_000;

/**
 * The breached-password check (BREACHED_PASSWORD_CHECK), against a Pwned Passwords range API
 * (PWNED_PASSWORDS_URL) with k-anonymity: only the first 5 hex digits of the password's SHA-1
 * leave the server, and the suffixes that share them come back as `SUFFIX:COUNT` lines (padded
 * with zero counts, so the answer's size tells nothing either).
 */
@Injectable()
export class BreachedPasswords {
  constructor(
    private readonly config: Config,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(BreachedPasswords.name);
  }

  /**
   * Whether the password is known from a breach. Fails open: when the API does not answer well
   * within the timeout, the password is accepted and one warning is logged (with neither the
   * password nor its hash).
   */
  async isBreached(password: string): Promise<boolean> {
    if (!this.config.BREACHED_PASSWORD_CHECK) return false;
    const sha1 = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
    const [prefix, suffix] = [sha1.slice(0, 5), sha1.slice(5)];
    try {
      const response = await fetch(
        `${this.config.PWNED_PASSWORDS_URL.replace(/\/$/, '')}/range/${prefix}`,
        {
          headers: { 'add-padding': 'true' },
          // Covers the body too: a server that stalls mid-answer is cut off as well.
          signal: AbortSignal.timeout(BREACH_CHECK_TIMEOUT_MS),
        },
      );
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const lines = (await response.text()).split('\n');
      return lines.some((line) => {
        const [candidate, count] = line.trim().split(':');
        return candidate?.toUpperCase() === suffix && Number(count) > 0;
      });
    } catch (error) {
      this.logger.warn(
        { reason: reasonOf(error) },
        'Breached-password check unavailable: the password was accepted without it',
      );
      return false;
    }
  }
}

/** Why the call failed, without the URL (it holds the hash prefix): a timeout, a refusal, a status. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const cause = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof cause === 'string'
    ? `${error.message} (${cause})`
    : `${error.name}: ${error.message}`;
}
