import { type AccountExport, accountExportSchema, contract } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORTED_TABLES } from '../../src/account/account-export.service.js';
import { NO_RATE_LIMITS, sql } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';
import { confirmedChange } from './account-world.js';

const { account } = contract;

describe('exporting the account’s data', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
    w = new World(t);
  });
  afterAll(() => t.close());

  it('covers every table that holds a user’s rows', async () => {
    // A user column by name, or a foreign key to users (notes.owner_id).
    const tables = await sql<{ table_name: string }>(
      t,
      `SELECT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'user_id'
       UNION
       SELECT tc.table_name FROM information_schema.table_constraints tc
         JOIN information_schema.constraint_column_usage cu
           ON cu.constraint_name = tc.constraint_name AND cu.table_schema = tc.table_schema
        WHERE tc.constraint_type = 'FOREIGN KEY' AND cu.table_name = 'users'
       UNION SELECT 'users'`,
    );
    const names = tables.map((r) => r.table_name).sort();
    expect(names.length).toBeGreaterThan(8);
    const missing = names.filter((name) => !(name in EXPORTED_TABLES));
    expect(missing, 'tables with user data the export does not cover').toEqual([]);
    const exportKeys = Object.keys(accountExportSchema.shape);
    for (const key of Object.values(EXPORTED_TABLES)) expect(exportKeys).toContain(key);
  });

  it('returns the profile, notes, sessions, keys, events and changes, without a hash or secret', async () => {
    const { user: owner, newEmail } = await confirmedChange(w);
    const user = { ...owner, ...(await w.login({ email: newEmail, password: owner.password })) };
    // Written to the table, not through the notes feature: the export covers tables, which
    // outlive the example feature if it is removed.
    await sql(t, `INSERT INTO notes (owner_id, title, body) VALUES ($1, 'Mine', 'exported')`, [
      user.id,
    ]);
    const key = await w.apiKey(user, ['read']);

    const reply = await w.expect('export', account.export, 'success', { as: user });
    const data = accountExportSchema.parse(reply.json()) satisfies AccountExport;
    expect(data.profile).toMatchObject({ id: user.id, email: newEmail });
    expect(data.mfa).toEqual({ totpEnabled: false, recoveryCodesLeft: 0 });
    expect(data.notes.map((n) => n.title)).toEqual(['Mine']);
    expect(data.memberships).toEqual([expect.objectContaining({ role: 'owner' })]);
    expect(data.sessions.length).toBeGreaterThanOrEqual(2);
    expect(data.apiKeys).toEqual([expect.objectContaining({ id: key.apiKey.id, revokedAt: null })]);
    expect(data.securityEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining(['email_changed', 'api_key_created', 'login_succeeded']),
    );
    expect(data.emailChanges).toEqual([
      expect.objectContaining({ newEmail, oldEmail: owner.email }),
    ]);
    expect(data.emailLinks.map((l) => l.purpose)).toContain('verify_email');

    // No stored hash or secret of the user's appears anywhere in it.
    const secrets = await sql<{ value: string }>(
      t,
      `SELECT token_hash AS value FROM sessions WHERE user_id = $1
       UNION ALL SELECT secret_hash FROM api_keys WHERE user_id = $1
       UNION ALL SELECT token_hash FROM email_tokens WHERE user_id = $1
       UNION ALL SELECT token_hash FROM email_changes WHERE user_id = $1
       UNION ALL SELECT undo_token_hash FROM email_changes WHERE user_id = $1
       UNION ALL SELECT password_hash FROM users WHERE id = $1`,
      [user.id],
    );
    expect(secrets.length).toBeGreaterThan(4);
    for (const { value } of secrets) expect(reply.text).not.toContain(value);
    expect(reply.text).not.toContain(key.secret);
    expect(reply.text).not.toMatch(/hash|secret/i);
  });

  it('is the caller’s data only', async () => {
    const other = await w.user();
    const user = await w.user();
    const data = (
      await w.expect('export', account.export, 'success', { as: user })
    ).json() as AccountExport;
    expect(JSON.stringify(data)).not.toContain(other.id);
    expect(JSON.stringify(data)).not.toContain(other.email);
  });
});
