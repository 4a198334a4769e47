import { type EntityManager } from 'typeorm';

/** How many passkeys a user has: a way to sign in, for the rules that count them. */
export async function passkeyCount(userId: string, manager: EntityManager): Promise<number> {
  const [row] = await manager.query<{ count: number }[]>(
    'SELECT count(*)::int AS count FROM passkeys WHERE user_id = $1',
    [userId],
  );
  return row?.count ?? 0;
}
