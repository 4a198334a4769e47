import { type EntityManager } from 'typeorm';

/**
 * How many ways into the account the user has: a password, each linked provider account and each
 * passkey. A one-time email code is not counted: it is the way back in (like a password reset),
 * not a method the user chose. Call it in the transaction that removes a method, after locking
 * the user's row.
 */
export async function remainingSignInMethods(
  userId: string,
  manager: EntityManager,
): Promise<number> {
  const [row] = await manager.query<{ methods: number }[]>(
    `SELECT (SELECT count(*) FROM users WHERE id = $1 AND password_hash IS NOT NULL)::int
          + (SELECT count(*) FROM user_identities WHERE user_id = $1)::int
          + (SELECT count(*) FROM passkeys WHERE user_id = $1)::int AS methods`,
    [userId],
  );
  return row?.methods ?? 0;
}
