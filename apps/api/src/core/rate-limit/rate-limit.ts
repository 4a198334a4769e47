import { type ExecutionContext, Injectable, Logger, SetMetadata } from '@nestjs/common';
import {
  type ThrottlerAsyncOptions,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import { type Config } from '../config/config.js';
import { SecretBox } from '../crypto/secret-box.js';
import { ProblemError } from '../problem/problem.error.js';
import { rateLimitedAddress } from './client-ip.js';
import { RateLimitStore, RateLimitStoreError } from './rate-limit-store.js';

const RATE_LIMIT_KEY = 'rate-limit';
type Bucket = 'login' | 'auth' | 'code' | 'email' | 'invite';

/**
 * Rate-limits a route, per minute: `login` per IP and per IP + email (RATE_LIMIT_LOGIN_*),
 * `auth` per IP (RATE_LIMIT_AUTH_PER_IP), `code` like `auth` for routes that check a one-time
 * code (TOTP, recovery or emailed code); per hour: `email` per email address whatever the IP
 * (RATE_LIMIT_EMAIL_CODE_PER_EMAIL), against one mailbox targeted from many addresses; `invite`
 * per organisation (RATE_LIMIT_INVITES_PER_ORG), the invitations it mails, new or again. A route
 * may take several buckets. Routes without it are not limited. The counts live in PostgreSQL,
 * shared by every API process (RateLimitStore); an IPv6 client counts as its /64.
 */
export const RateLimit = (...buckets: [Bucket, ...Bucket[]]) =>
  SetMetadata(RATE_LIMIT_KEY, buckets);

/**
 * When the store cannot be reached, these buckets refuse the request (503) rather than let
 * unlimited guesses of a password or code through; the others let it pass, with a warning.
 */
const FAILS_CLOSED: ReadonlySet<Bucket> = new Set(['login', 'code', 'email']);

/** The buckets of each handler, read from its metadata once. */
const bucketsByHandler = new WeakMap<object, readonly Bucket[]>();

function bucketsOf(context: ExecutionContext): readonly Bucket[] {
  const handler = context.getHandler();
  let buckets = bucketsByHandler.get(handler);
  if (!buckets) {
    buckets = (Reflect.getMetadata(RATE_LIMIT_KEY, handler) as Bucket[] | undefined) ?? [];
    bucketsByHandler.set(handler, buckets);
  }
  return buckets;
}

/** The email of a request body, as the contract normalizes it ('' when there is none). */
const emailOf = (req: Record<string, unknown>) => {
  const body = req.body as { email?: unknown } | undefined;
  return typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
};
const addressOf = (req: Record<string, unknown>) => rateLimitedAddress(req.ip as string);
const orgOf = (req: Record<string, unknown>) =>
  (req.params as { orgId?: string } | undefined)?.orgId ?? '';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** A limit: its bucket, window (ms), size and what it counts by. */
interface Throttler {
  name: string;
  bucket: Bucket;
  ttl: number;
  limit: (config: Config) => number;
  getTracker: (req: Record<string, unknown>) => string;
  /** One count for every route of the bucket, rather than one per route (the default). */
  acrossRoutes?: true;
}

const THROTTLERS: readonly Throttler[] = [
  {
    name: 'login-ip',
    bucket: 'login',
    ttl: MINUTE_MS,
    limit: (c) => c.RATE_LIMIT_LOGIN_PER_IP,
    getTracker: addressOf,
  },
  {
    name: 'login-email',
    bucket: 'login',
    ttl: MINUTE_MS,
    limit: (c) => c.RATE_LIMIT_LOGIN_PER_EMAIL,
    getTracker: (req) => `${addressOf(req)}|${emailOf(req)}`,
  },
  {
    name: 'auth-ip',
    bucket: 'auth',
    ttl: MINUTE_MS,
    limit: (c) => c.RATE_LIMIT_AUTH_PER_IP,
    getTracker: addressOf,
  },
  {
    name: 'code-ip',
    bucket: 'code',
    ttl: MINUTE_MS,
    limit: (c) => c.RATE_LIMIT_AUTH_PER_IP,
    getTracker: addressOf,
  },
  {
    name: 'email',
    bucket: 'email',
    ttl: HOUR_MS,
    limit: (c) => c.RATE_LIMIT_EMAIL_CODE_PER_EMAIL,
    getTracker: emailOf,
  },
  {
    name: 'invite-org',
    bucket: 'invite',
    ttl: HOUR_MS,
    limit: (c) => c.RATE_LIMIT_INVITES_PER_ORG,
    getTracker: orgOf,
    acrossRoutes: true,
  },
];

const bucketOfThrottler = new Map<string, Bucket>(THROTTLERS.map((t) => [t.name, t.bucket]));

function rateLimitOptions(config: Config): ThrottlerModuleOptions {
  return {
    setHeaders: false,
    throttlers: THROTTLERS.map(({ name, bucket, ttl, limit, getTracker, acrossRoutes }) => ({
      name,
      ttl,
      limit: limit(config),
      skipIf: (context: ExecutionContext) => !bucketsOf(context).includes(bucket),
      getTracker,
      ...(acrossRoutes
        ? { generateKey: (_: ExecutionContext, tracker: string) => `${name}-${tracker}` }
        : {}),
    })),
  };
}

/**
 * ThrottlerModule.forRootAsync's options: the limits, counted in PostgreSQL at `databaseUrl`.
 * Another store (Redis, Valkey) would be plugged in here, as any @nestjs/throttler storage.
 */
export const rateLimitModuleOptions = (
  config: Config,
  databaseUrl: string,
): ThrottlerAsyncOptions => ({
  inject: [SecretBox],
  useFactory: (secretBox: SecretBox) => {
    const logger = new Logger(RateLimitStore.name);
    return {
      ...rateLimitOptions(config),
      storage: new RateLimitStore(databaseUrl, config.DATABASE_TIMEOUT_MS, secretBox, (error) =>
        logger.warn(`Expired rate limit windows could not be deleted: ${String(error)}`),
      ),
    };
  },
});

/**
 * @nestjs/throttler's guard, answering with a rate_limited problem and a plain Retry-After, and
 * deciding per bucket what happens when the store cannot be reached (FAILS_CLOSED).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override logger = new Logger(RateLimitGuard.name);

  /**
   * Most routes take no bucket: they pass at once, without the base guard's metadata lookups for
   * each of the five throttlers (a tenth of the cost of a request to such a route).
   */
  override canActivate(context: ExecutionContext): Promise<boolean> {
    if (bucketsOf(context).length === 0) return Promise.resolve(true);
    return super.canActivate(context);
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(request);
    } catch (error) {
      if (!(error instanceof RateLimitStoreError)) throw error;
      const bucket = bucketOfThrottler.get(request.throttler.name ?? '');
      if (bucket && FAILS_CLOSED.has(bucket)) {
        throw new ProblemError(
          'service_unavailable',
          'Sign-in checks are unavailable right now: try again shortly.',
        );
      }
      this.logger.warn(
        `Rate limit ${request.throttler.name} not applied: its store cannot be reached (${String(error.cause)})`,
      );
      return true;
    }
  }

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
