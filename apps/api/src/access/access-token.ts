import { createSecretKey, type KeyObject } from 'node:crypto';
import { type Config } from '../core/config/config.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { isUuid } from '../core/http/uuid.js';

/**
 * How far ahead of this server's clock a token's `iat` may be: the API instances that sign and
 * verify tokens run on different machines, whose clocks never agree exactly.
 */
export const CLOCK_SKEW_S = 5;

/** The claims of a valid access token that the API relies on. */
export interface AccessClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

/*
 * The rules of an access token live in this file only: passport's JwtStrategy (HTTP) and
 * AccessService.verifyAccessToken (WebSocket) both apply accessTokenVerification, then accessClaimsOf,
 * so the two ways in cannot come to accept different tokens.
 */

const secretKeys = new WeakMap<Config, KeyObject>();

/**
 * JWT_ACCESS_SECRET as a secret KeyObject, made once. Given a string, jsonwebtoken first tries to
 * read it as a public or private key on every call (an exception each time) before making the
 * secret key it needs: that was a tenth of the cost of an authenticated request.
 */
export function accessSecretKey(config: Config): KeyObject {
  let key = secretKeys.get(config);
  if (!key) {
    key = createSecretKey(Buffer.from(config.JWT_ACCESS_SECRET, 'utf8'));
    secretKeys.set(config, key);
  }
  return key;
}

/**
 * What jsonwebtoken checks: the signature, with HS256 only (no `none`, no other HMAC, no public
 * key); `iss` and `aud`; `exp` and `nbf` when present (an expired token fails as expired, which
 * the API answers with token_expired).
 */
export const accessTokenVerification = (config: Config) => ({
  // passport-jwt's and @nestjs/jwt's typings say string | Buffer; jsonwebtoken takes a KeyObject.
  secret: accessSecretKey(config) as unknown as Buffer,
  algorithms: ['HS256' as const],
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
});

/**
 * What jsonwebtoken leaves optional, checked on the payload of a correctly signed token: `exp`
 * and `iat` are required (a token without them would never expire, or could have been made at any
 * time), `iat` is not in the future beyond CLOCK_SKEW_S, and `sub` and `sid` are ids of the form
 * the API issues (anything else could only fail later, in the database).
 */
export function accessClaimsOf(payload: unknown): AccessClaims {
  const { sub, sid, iat, exp } = (
    typeof payload === 'object' && payload !== null ? payload : {}
  ) as Record<string, unknown>;
  if (
    typeof exp !== 'number' ||
    !Number.isFinite(exp) ||
    typeof iat !== 'number' ||
    !Number.isFinite(iat) ||
    iat > Date.now() / 1000 + CLOCK_SKEW_S ||
    typeof sub !== 'string' ||
    !isUuid(sub) ||
    typeof sid !== 'string' ||
    !isUuid(sid)
  ) {
    throw new ProblemError('token_invalid', 'The access token is not valid.');
  }
  return { sub, sid, iat, exp };
}
