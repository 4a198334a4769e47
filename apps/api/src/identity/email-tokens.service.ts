import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { randomToken, sha256 } from '../core/crypto/crypto.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { EmailTokenEntity, type EmailTokenPurpose } from './email-token.entity.js';

const TTL_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 24 * 3_600_000,
  reset_password: 3_600_000,
};

/** Tokens of mailed links: random, stored hashed, single use, expiring. */
@Injectable()
export class EmailTokensService {
  /** A new token; the user's earlier unused ones for the same purpose stop working. */
  async issue(userId: string, purpose: EmailTokenPurpose, manager: EntityManager): Promise<string> {
    const token = randomToken();
    const repository = manager.getRepository(EmailTokenEntity);
    await repository
      .createQueryBuilder()
      .update()
      .set({ usedAt: () => 'now()' })
      .where('user_id = :userId AND purpose = :purpose AND used_at IS NULL', { userId, purpose })
      .execute();
    await repository.insert({
      userId,
      purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + TTL_MS[purpose]),
    });
    return token;
  }

  /** Uses up a token (once, atomically) and returns its user id. */
  async consume(
    token: string,
    purpose: EmailTokenPurpose,
    manager: EntityManager,
  ): Promise<string> {
    const rows = await manager.query<{ user_id: string }[]>(
      `WITH used AS (
         UPDATE email_tokens SET used_at = now()
          WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
          RETURNING user_id)
       SELECT * FROM used`,
      [sha256(token), purpose],
    );
    return userIdOf(rows);
  }

  /** The user id of a token that still works, leaving it unused (consume() decides). */
  async peek(token: string, purpose: EmailTokenPurpose, manager: EntityManager): Promise<string> {
    const rows = await manager.query<{ user_id: string }[]>(
      `SELECT user_id FROM email_tokens
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()`,
      [sha256(token), purpose],
    );
    return userIdOf(rows);
  }
}

function userIdOf(rows: { user_id: string }[]): string {
  const row = rows[0];
  if (!row)
    throw new ProblemError(
      'link_invalid',
      'This link is invalid, used or expired: ask for a new one.',
    );
  return row.user_id;
}
