import { type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import {
  type ThrottlerModuleOptions,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
} from '@nestjs/throttler';
import { type Config } from '../config/config.js';
import { ProblemError } from '../problem/problem.error.js';

const RATE_LIMIT_KEY = 'rate-limit';
type Bucket = 'login' | 'auth';

/**
 * Rate-limits a route, per minute: `login` per IP and per IP + email (RATE_LIMIT_LOGIN_*),
 * `auth` per IP (RATE_LIMIT_AUTH_PER_IP). Routes without it are not limited.
 */
export const RateLimit = (bucket: Bucket) => SetMetadata(RATE_LIMIT_KEY, bucket);

const bucketOf = (context: ExecutionContext) =>
  Reflect.getMetadata(RATE_LIMIT_KEY, context.getHandler()) as Bucket | undefined;

const MINUTE_MS = 60_000;

export function rateLimitOptions(config: Config): ThrottlerModuleOptions {
  return {
    setHeaders: false,
    throttlers: [
      {
        name: 'login-ip',
        ttl: MINUTE_MS,
        limit: config.RATE_LIMIT_LOGIN_PER_IP,
        skipIf: (context) => bucketOf(context) !== 'login',
      },
      {
        name: 'login-email',
        ttl: MINUTE_MS,
        limit: config.RATE_LIMIT_LOGIN_PER_EMAIL,
        skipIf: (context) => bucketOf(context) !== 'login',
        getTracker: (req: Record<string, unknown>) => {
          const body = req.body as { email?: unknown } | undefined;
          const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
          return `${req.ip as string}|${email}`;
        },
      },
      {
        name: 'auth-ip',
        ttl: MINUTE_MS,
        limit: config.RATE_LIMIT_AUTH_PER_IP,
        skipIf: (context) => bucketOf(context) !== 'auth',
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
