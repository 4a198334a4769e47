import { contract, WS_CLOSE } from '@repo/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXPORTED_TABLES } from '../../src/account/account-export.service.js';
import { NO_RATE_LIMITS, sql } from '../support/auth-extras.js';
import { closedWithin, socketPool, twoInstances } from '../support/realtime-helpers.js';
import { type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';
import { World } from '../support/world.js';
import { confirmedChange } from './account-world.js';

const { account, auth, users } = contract;

/** How many rows of each table belong to the user: users by id, notes by owner, the rest by user_id. */
async function rowsOf(t: TestApp, userId: string) {
  const counts: Record<string, number> = {};
  for (const table of Object.keys(EXPORTED_TABLES)) {
    const column =
      {
        users: 'id',
        notes: 'owner_id',
        invitations: 'invited_by',
        organisation_events: 'actor_id',
      }[table] ?? 'user_id';
    if (table === 'used_refresh_tokens') {
      const [row] = await sql<{ n: number }>(
        t,
        `SELECT count(*)::int AS n FROM used_refresh_tokens u JOIN sessions s ON s.id = u.session_id WHERE s.user_id = $1`,
        [userId],
      );
      counts[table] = row!.n;
      continue;
    }
    const [row] = await sql<{ n: number }>(
      t,
      `SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`,
      [userId],
    );
    counts[table] = row!.n;
  }
  return counts;
}

// Two API instances on one database: the deletion is asked of A, the user's socket is on B.
describe('deleting the account', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let instances: Awaited<ReturnType<typeof twoInstances>>;
  let w: World;
  const sockets = socketPool();
  beforeAll(async () => {
    database = await createTestDatabase();
    instances = await twoInstances(database.url, NO_RATE_LIMITS);
    w = new World(instances.a);
  });
  afterEach(() => sockets.terminateAll());
  afterAll(async () => {
    await instances?.close();
    await database?.drop();
  });

  it('removes every row of the user, ends its sessions and sockets everywhere, and mails a confirmation', async () => {
    const { a, b } = instances;
    const { user: owner, newEmail } = await confirmedChange(w);
    const user = {
      ...owner,
      email: newEmail,
      ...(await w.login({ email: newEmail, password: owner.password })),
    };
    // Straight into the table: deletion covers tables, whatever feature writes them.
    await sql(a, `INSERT INTO notes (owner_id, title, body) VALUES ($1, 'T', 'B')`, [user.id]);
    await w.apiKey(user);
    const bystander = await w.user();
    const onB = await sockets.authed(b, user.accessToken);
    const before = await rowsOf(a, user.id);
    for (const table of [
      'users',
      'notes',
      'memberships',
      'sessions',
      'api_keys',
      'security_events',
      'email_changes',
    ]) {
      expect(before[table], table).toBeGreaterThan(0);
    }
    const bystanderBefore = await rowsOf(a, bystander.id);

    const reply = await w.expect('delete', account.delete, 'success', { as: user });
    // The browser's refresh cookie is cleared.
    expect(reply.headers.get('set-cookie')).toMatch(/refresh_token=;/);

    expect((await closedWithin(onB)).code).toBe(WS_CLOSE.unauthenticated);
    const after = await rowsOf(a, user.id);
    expect(
      Object.values(after).every((n) => n === 0),
      JSON.stringify(after),
    ).toBe(true);
    expect(await sql(a, 'SELECT 1 FROM email_codes WHERE email = $1', [newEmail])).toEqual([]);
    // Nobody else lost anything.
    expect(await rowsOf(a, bystander.id)).toEqual(bystanderBefore);

    // Every session is refused: access tokens and refresh cookies alike.
    await w.expect('me after deletion', users.me, [401, 'token_invalid'], { as: user });
    await w.expect('refresh after deletion', auth.refresh, [401, 'token_invalid'], {
      as: { cookie: user.cookie },
    });
    await w.expect('login after deletion', auth.login, [401, 'invalid_credentials'], {
      body: { email: newEmail, password: user.password },
    });

    const mail = await w.mailed(newEmail, /Your account was deleted/);
    expect(mail.html).toMatch(/^<!DOCTYPE html/i);
    expect(mail.text).toContain('cannot be undone');
  });

  it('the address is free again: it may register anew', async () => {
    const user = await w.user();
    await w.expect('delete', account.delete, 'success', { as: user });
    await w.expect('register again', auth.register, 'success', {
      body: { email: user.email, password: user.password, name: 'Again' },
    });
    await w.mailed(user.email, /Confirm/);
  });
});
