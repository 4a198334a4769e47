import { REFRESH_COOKIE, REFRESH_COOKIE_PATH } from '@repo/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type Config } from '../core/config/config.js';
import { ProblemError } from '../core/problem/problem.error.js';

/** The refresh cookie: httpOnly, sent only to the auth routes, Secure outside local dev. */
export function setRefreshCookie(
  reply: FastifyReply,
  config: Config,
  token: string,
  maxAgeS: number,
) {
  reply.setCookie(REFRESH_COOKIE, token, {
    httpOnly: true,
    secure: config.cookieSecure,
    sameSite: config.COOKIE_SAMESITE,
    path: REFRESH_COOKIE_PATH,
    maxAge: maxAgeS,
  });
}

export function clearRefreshCookie(reply: FastifyReply, config: Config) {
  reply.clearCookie(REFRESH_COOKIE, {
    httpOnly: true,
    secure: config.cookieSecure,
    sameSite: config.COOKIE_SAMESITE,
    path: REFRESH_COOKIE_PATH,
  });
}

/** The refresh token of a request, and whether it came in the body (a native client). */
export function refreshTokenOf(request: FastifyRequest, bodyToken: string | undefined) {
  const token = bodyToken ?? request.cookies[REFRESH_COOKIE];
  if (!token) throw new ProblemError('unauthorized', 'No refresh token: log in first.');
  return { token, fromBody: bodyToken !== undefined };
}
