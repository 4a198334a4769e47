import { type LoginResult, type VerifyEmailCode } from '@repo/contracts';

const attempts = new Map<string, Promise<LoginResult>>();

/**
 * Posts a mailed link's code once per page: the code is single-use, and React runs effects twice
 * in development.
 */
export function verifyLinkOnce(
  body: VerifyEmailCode,
  verify: (body: VerifyEmailCode) => Promise<LoginResult>,
): Promise<LoginResult> {
  const key = `${body.email} ${body.code}`;
  let attempt = attempts.get(key);
  if (!attempt) {
    attempt = verify(body);
    attempts.set(key, attempt);
  }
  return attempt;
}
