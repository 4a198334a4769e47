import { type User } from '@repo/contracts';
import { getClients } from '@/lib/api';

const attempts = new Map<string, Promise<User>>();

/**
 * Confirms an email address once per token and page: the token is single-use, and React runs
 * effects twice in development.
 */
export function verifyEmailOnce(token: string): Promise<User> {
  let attempt = attempts.get(token);
  if (!attempt) {
    attempt = getClients().api.auth.verifyEmail({ body: { token } });
    attempts.set(token, attempt);
  }
  return attempt;
}
