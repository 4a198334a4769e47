import { createHash } from 'node:crypto';
import {
  PROBLEM_CONTENT_TYPE,
  type ProblemCode,
  problemDetailsSchema,
  REFRESH_COOKIE,
} from '@repo/contracts';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { expect } from 'vitest';
import { type TestApp } from './test-app.js';

/** Asserts the response is a problem with this status and code, and returns its body. */
export async function expectProblem(res: Response, status: number, code: ProblemCode) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  const body = problemDetailsSchema.parse(await res.json());
  expect(body).toMatchObject({ status, code });
  return body;
}

/** The claims of an access token; read, not verified. */
const claimsOf = (accessToken: string) =>
  JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as {
    sub: string;
    sid: string;
    aud: string;
    exp: number;
  };

/** The session id (`sid` claim) an access token belongs to; read, not verified. */
export const sessionIdOfToken = (accessToken: string): string => claimsOf(accessToken).sid;

/**
 * Another access token of the same session, signed with the app's key, that expires at `exp`
 * (seconds since the epoch): a token already expired, or about to, without waiting out a real
 * lifetime.
 */
export function accessTokenExpiringAt(t: TestApp, accessToken: string, exp: number): string {
  const { sub, sid, aud } = claimsOf(accessToken);
  return t.app.get(JwtService).sign({ sid, exp }, { subject: sub, audience: aud });
}

/** An access token of the same session that expired a minute ago. */
export const expiredAccessToken = (t: TestApp, accessToken: string): string =>
  accessTokenExpiringAt(t, accessToken, Math.floor(Date.now() / 1000) - 60);

/** Every Set-Cookie line of a response for the refresh cookie (setting or clearing it). */
export const refreshSetCookies = (res: Response) =>
  res.headers.getSetCookie().filter((c) => c.startsWith(`${REFRESH_COOKIE}=`));

/** True when the response tells the browser to drop the refresh cookie. */
export const clearsRefreshCookie = (res: Response) =>
  refreshSetCookies(res).some(
    (c) => c.startsWith(`${REFRESH_COOKIE}=;`) && /(Max-Age=0|Expires=Thu, 01 Jan 1970)/i.test(c),
  );

export interface SessionRow {
  id: string;
  token_hash: string;
  previous_token_hash: string | null;
  rotated_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date;
  user_agent: string | null;
  ip: string | null;
}

/** The rows of the sessions table for a user, oldest first, read straight from the database. */
export const sessionRowsOf = (t: TestApp, email: string): Promise<SessionRow[]> =>
  t.app.get(DataSource).query(
    `SELECT s.id, s.token_hash, s.previous_token_hash, s.rotated_at, s.revoked_at, s.expires_at,
              s.user_agent, s.ip
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE u.email = $1
        ORDER BY s.created_at, s.id`,
    [email.toLowerCase()],
  );

/** Moves a user's sessions' last rotation back an hour, as if the refresh grace window had passed. */
export const pastRefreshGrace = (t: TestApp, email: string) =>
  t.app.get(DataSource).query(
    `UPDATE sessions s SET rotated_at = s.rotated_at - interval '1 hour'
       FROM users u WHERE u.id = s.user_id AND u.email = $1 AND s.rotated_at IS NOT NULL`,
    [email.toLowerCase()],
  );

/** Moves a user's sessions' expiry into the past, as if their lifetime had run out. */
export const expireSessionsOf = (t: TestApp, email: string) =>
  t.app.get(DataSource).query(
    `UPDATE sessions s SET expires_at = now() - interval '1 second'
       FROM users u WHERE u.id = s.user_id AND u.email = $1`,
    [email.toLowerCase()],
  );

/** How the database stores the token of a `refresh_token=…` cookie pair (SHA-256, hex). */
export const storedHashOf = (cookie: string) =>
  createHash('sha256')
    .update(decodeURIComponent(cookie.slice(`${REFRESH_COOKIE}=`.length)))
    .digest('hex');
