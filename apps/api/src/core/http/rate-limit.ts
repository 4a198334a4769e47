import { type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import {
  type ThrottlerModuleOptions,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
} from '@nestjs/throttler';
import { type Config } from '../config/config.js';
import { ProblemError } from '../problem/problem.error.js';

const RATE_LIMIT_KEY = 'rate-limit';
type Bucket = 'login' | 'auth' | 'email';

/**
 * Rate-limits a route, per minute: `login` per IP and per IP + email (RATE_LIMIT_LOGIN_*),
 * `auth` per IP (RATE_LIMIT_AUTH_PER_IP); per hour: `email` per email address whatever the IP
 * (RATE_LIMIT_EMAIL_CODE_PER_EMAIL), against one mailbox targeted from many addresses. A route
 * may take several buckets. Routes without it are not limited.
 */
export const RateLimit = (...buckets: [Bucket, ...Bucket[]]) =>
  SetMetadata(RATE_LIMIT_KEY, buckets);

const bucketsOf = (context: ExecutionContext) =>
  (Reflect.getMetadata(RATE_LIMIT_KEY, context.getHandler()) as Bucket[] | undefined) ?? [];
const skipUnless = (bucket: Bucket) => (context: ExecutionContext) =>
  !bucketsOf(context).includes(bucket);

/** The email of a request body, as the contract normalizes it ('' when there is none). */
const emailOf = (req: Record<string, unknown>) => {
  const body = req.body as { email?: unknown } | undefined;
  return typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export function rateLimitOptions(config: Config): ThrottlerModuleOptions {
  return {
    setHeaders: false,
    throttlers: [
      {
        name: 'login-ip',
        ttl: MINUTE_MS,
        limit: config.RATE_LIMIT_LOGIN_PER_IP,
        skipIf: skipUnless('login'),
      },
      {
        name: 'login-email',
        ttl: MINUTE_MS,
        limit: config.RATE_LIMIT_LOGIN_PER_EMAIL,
        skipIf: skipUnless('login'),
        getTracker: (req: Record<string, unknown>) => `${req.ip as string}|${emailOf(req)}`,
      },
      {
        name: 'auth-ip',
        ttl: MINUTE_MS,
        limit: config.RATE_LIMIT_AUTH_PER_IP,
        skipIf: skipUnless('auth'),
      },
      {
        name: 'email',
        ttl: HOUR_MS,
        limit: config.RATE_LIMIT_EMAIL_CODE_PER_EMAIL,
        skipIf: skipUnless('email'),
        getTracker: emailOf,
      },
    ],
  };
}

/** @nestjs/throttler's guard, answering with a rate_limited problem and a plain Retry-After. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = String(Math.max(1, Math.ceil(detail.timeToBlockExpire)));
    throw new ProblemError('rate_limited', `Too many attempts: try again in ${retryAfter} s.`, {
      headers: { 'retry-after': retryAfter },
    });
  }
}
