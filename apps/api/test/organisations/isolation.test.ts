import { DataSource, type EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROLE } from '../../src/core/database/api-role.js';
import { setTenant, type Tenant } from '../../src/core/database/tenant.js';
import { sql } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';

/**
 * Tenant isolation held by PostgreSQL itself: the statements below have no `WHERE` on the
 * organisation, and run as the app runs them (its DataSource, hence its role); `sql` is the
 * test's own superuser connection, which sees everything.
 */
describe('tenant isolation in the database', () => {
  let t: TestApp;
  let db: DataSource;
  let alice: { id: string; org: string };
  let bob: { id: string; org: string };

  /** Runs `work` in a transaction of the app's own, naming this tenant. */
  const asApi = <T>(tenant: Tenant, work: (manager: EntityManager) => Promise<T>) =>
    db.transaction(async (manager) => {
      await setTenant(manager, tenant);
      return work(manager);
    });

  const personalOrg = async (userId: string) => {
    const rows = await sql<{ org_id: string; role: string }>(
      t,
      'SELECT org_id, role FROM memberships WHERE user_id = $1',
      [userId],
    );
    expect(rows.map((row) => row.role)).toEqual(['owner']);
    return rows[0]!.org_id;
  };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    const world = new World(t);
    for (const user of [await world.user(), await world.user()]) {
      const entry = { id: user.id, org: await personalOrg(user.id) };
      if (!alice) alice = entry;
      else bob = entry;
    }
  });
  afterAll(() => t?.close());

  it('runs the API as a role with neither superuser nor BYPASSRLS, owner of no table', async () => {
    const [role] = await db.query<{ user: string; super: boolean; bypass: boolean }[]>(
      `SELECT current_user AS user, rolsuper AS super, rolbypassrls AS bypass
         FROM pg_roles WHERE rolname = current_user`,
    );
    expect(role).toEqual({ user: API_ROLE, super: false, bypass: false });
    expect(
      await sql(t, `SELECT tablename FROM pg_tables WHERE tableowner = $1`, [API_ROLE]),
    ).toEqual([]);
  });

  it('forces row-level security on every tenant table (organisations, and each with an org_id)', async () => {
    const tables = await sql<{ table: string; rls: boolean; forced: boolean; policies: number }>(
      t,
      `SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
              (SELECT count(*)::int FROM pg_policies p WHERE p.tablename = c.relname) AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND (c.relname = 'organisations' OR EXISTS (
                SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id'))
        ORDER BY 1`,
    );
    expect(tables.map((row) => row.table)).toContain('memberships');
    for (const row of tables) {
      expect(row, row.table).toMatchObject({ rls: true, forced: true });
      expect(row.policies, row.table).toBeGreaterThan(0);
    }
  });

  it('gives every new account a personal organisation it owns', async () => {
    const [org] = await sql<{ name: string; slug: string }>(
      t,
      'SELECT name, slug FROM organisations WHERE id = $1',
      [alice.org],
    );
    expect(org!.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(org!.name.length).toBeGreaterThan(0);
  });

  it('shows no row of a tenant table to a transaction that names no organisation', async () => {
    const [all] = await sql<{ n: number }>(t, 'SELECT count(*)::int AS n FROM memberships');
    expect(all!.n).toBeGreaterThanOrEqual(2);
    expect(await db.query('SELECT * FROM organisations')).toEqual([]);
    expect(await db.query('SELECT * FROM memberships')).toEqual([]);
    expect(await asApi({}, (m) => m.query('SELECT * FROM memberships'))).toEqual([]);
  });

  it("with organisation A named, neither reads nor changes B's rows", async () => {
    const seen = await asApi({ orgId: alice.org }, async (m) => ({
      organisations: await m.query<{ id: string }[]>('SELECT id FROM organisations'),
      memberships: await m.query<{ user_id: string }[]>('SELECT user_id FROM memberships'),
      renamed: (await m.query<[unknown[], number]>(`UPDATE organisations SET name = 'Taken'`))[1],
      removed: (
        await m.query<[unknown[], number]>('DELETE FROM memberships WHERE user_id = $1', [bob.id])
      )[1],
    }));
    expect(seen).toEqual({
      organisations: [{ id: alice.org }],
      memberships: [{ user_id: alice.id }],
      renamed: 1,
      removed: 0,
    });
    await expect(
      asApi({ orgId: alice.org }, (m) =>
        m.query(`INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'member')`, [
          bob.org,
          alice.id,
        ]),
      ),
    ).rejects.toMatchObject({ driverError: { code: '42501' } });
    const [bobs] = await sql<{ name: string; members: number }>(
      t,
      `SELECT o.name, (SELECT count(*)::int FROM memberships m WHERE m.org_id = o.id) AS members
         FROM organisations o WHERE o.id = $1`,
      [bob.org],
    );
    expect(bobs!.name).not.toBe('Taken');
    expect(bobs!.members).toBe(1);
  });

  it("lets a user see their own memberships in every organisation, and no one else's", async () => {
    await sql(t, `INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'member')`, [
      bob.org,
      alice.id,
    ]);
    const orgs = await asApi({ userId: alice.id }, (m) =>
      m.query<{ org_id: string; user_id: string }[]>(
        'SELECT org_id, user_id FROM memberships ORDER BY created_at',
      ),
    );
    expect(orgs).toEqual([
      { org_id: alice.org, user_id: alice.id },
      { org_id: bob.org, user_id: alice.id },
    ]);
    const names = await asApi({ userId: alice.id }, (m) =>
      m.query<{ id: string }[]>('SELECT id FROM organisations ORDER BY created_at'),
    );
    expect(names.map((o) => o.id).sort()).toEqual([alice.org, bob.org].sort());
    await sql(t, 'DELETE FROM memberships WHERE org_id = $1 AND user_id = $2', [bob.org, alice.id]);
  });

  it('keeps an owner: of 20 concurrent demotions of its two owners, those that would leave none fail', async () => {
    // Five rounds: a missing lock lets a round end with no owner about half the time.
    for (let round = 0; round < 5; round++) {
      await sql(
        t,
        `INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'owner'), ($1, $3, 'owner')
           ON CONFLICT (org_id, user_id) DO UPDATE SET role = 'owner'`,
        [alice.org, alice.id, bob.id],
      );
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          asApi({ orgId: alice.org }, (m) =>
            m.query(`UPDATE memberships SET role = 'admin' WHERE user_id = $1`, [
              i % 2 ? bob.id : alice.id,
            ]),
          ),
        ),
      );
      const owners = await sql(
        t,
        `SELECT user_id FROM memberships WHERE org_id = $1 AND role = 'owner'`,
        [alice.org],
      );
      expect(owners, `round ${round}`).toHaveLength(1);
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(refused.length).toBeGreaterThan(0);
      for (const outcome of refused) {
        expect(outcome.reason).toMatchObject({
          driverError: { constraint: 'memberships_last_owner' },
        });
      }
    }
  });

  it('deletes an organisation, with its memberships, once its last member is gone', async () => {
    const carol = await new World(t).user();
    const org = await personalOrg(carol.id);
    await sql(t, 'DELETE FROM users WHERE id = $1', [carol.id]);
    expect(await sql(t, 'SELECT id FROM organisations WHERE id = $1', [org])).toEqual([]);
  });
});
