import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Jobs } from '../../src/core/jobs/jobs.js';
import { sql } from '../support/auth-extras.js';
import { runJob } from '../support/jobs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';

/**
 * Each clean-up job, with a table it prunes: `seed` writes old rows (to go) and fresh ones (to
 * stay) labelled `old-<tag>` and `fresh-<tag>` ($1 the tag, $2 a user); `left` reads back the
 * labels of the tag ($1) still there.
 */
const CASES: Record<string, { seed: string; left: string }> = {
  'security-events.prune': {
    seed: `INSERT INTO security_events (user_id, type, created_at, user_agent) VALUES
             ($2, 'api_key_revoked', now() - interval '91 days', 'old-' || $1),
             ($2, 'api_key_created', now() - interval '89 days', 'fresh-' || $1)`,
    left: `SELECT user_agent AS label FROM security_events WHERE user_agent LIKE '%-' || $1`,
  },
  'organisation-events.prune': {
    seed: `INSERT INTO organisation_events (org_id, type, details, created_at)
           SELECT m.org_id, 'member_left', jsonb_build_object('label', label), at
             FROM memberships m,
                  (VALUES ('old-' || $1, now() - interval '91 days'),
                          ('fresh-' || $1, now() - interval '89 days')) AS e (label, at)
            WHERE m.user_id = $2`,
    left: `SELECT details ->> 'label' AS label FROM organisation_events
            WHERE details ->> 'label' LIKE '%-' || $1`,
  },
  'sessions.prune': {
    seed: `INSERT INTO sessions (user_id, token_hash, expires_at, revoked_at, user_agent) VALUES
             ($2, 'a' || $1, now() + interval '1 day', now() - interval '2 days', 'old-' || $1),
             ($2, 'b' || $1, now() - interval '2 days', NULL, 'old-' || $1),
             ($2, 'c' || $1, now() + interval '1 day', now() - interval '1 hour', 'fresh-' || $1),
             ($2, 'd' || $1, now() + interval '1 day', NULL, 'fresh-' || $1)`,
    left: `SELECT user_agent AS label FROM sessions WHERE user_agent LIKE '%-' || $1`,
  },
  'email-codes.prune': {
    seed: `INSERT INTO email_codes (email, code_hash, expires_at) VALUES
             ('old-' || $1 || '@example.test', 'x', now() - interval '2 days'),
             ('fresh-' || $1 || '@example.test', 'x', now() - interval '1 hour')`,
    left: `SELECT split_part(email::text, '@', 1) AS label FROM email_codes
            WHERE email::text LIKE '%-' || $1 || '@example.test'`,
  },
  'email-tokens.prune': {
    seed: `INSERT INTO email_tokens (user_id, purpose, token_hash, expires_at) VALUES
             ($2, 'verify', 'old-' || $1, now() - interval '2 days'),
             ($2, 'verify', 'fresh-' || $1, now() - interval '1 hour')`,
    left: `SELECT token_hash AS label FROM email_tokens WHERE token_hash LIKE '%-' || $1`,
  },
  'email-changes.prune': {
    seed: `INSERT INTO email_changes (user_id, new_email, token_hash, expires_at, confirmed_at) VALUES
             ($2, 'a@example.test', 'old-' || $1, now() - interval '1 hour', NULL),
             ($2, 'b@example.test', 'fresh-' || $1, now() + interval '1 hour', NULL),
             ($2, 'c@example.test', 'fresh-confirmed-' || $1, now() - interval '1 hour', now())`,
    left: `SELECT regexp_replace(token_hash, '-confirmed', '') AS label FROM email_changes
            WHERE token_hash LIKE '%-' || $1`,
  },
  'passkey-challenges.prune': {
    seed: `INSERT INTO used_passkey_challenges (nonce, expires_at) VALUES
             ('old-' || $1, now() - interval '6 minutes'),
             ('fresh-' || $1, now() - interval '1 minute')`,
    left: `SELECT nonce AS label FROM used_passkey_challenges WHERE nonce LIKE '%-' || $1`,
  },
  'realtime-connections.prune': {
    seed: `INSERT INTO realtime_connections (id, user_id, instance_id, expires_at) VALUES
             (gen_random_uuid(), $2, md5('old-' || $1)::uuid, now() - interval '1 second'),
             (gen_random_uuid(), $2, md5('fresh-' || $1)::uuid, now() + interval '1 minute')`,
    left: `SELECT CASE instance_id WHEN md5('old-' || $1)::uuid THEN 'old-' || $1
                                   ELSE 'fresh-' || $1 END AS label
             FROM realtime_connections
            WHERE instance_id IN (md5('old-' || $1)::uuid, md5('fresh-' || $1)::uuid)`,
  },
  'rate-limits.prune': {
    seed: `INSERT INTO rate_limit_hits (key, hits, expires_at) VALUES
             ('old-' || $1, 1, now() - interval '1 second'),
             ('fresh-' || $1, 1, now() + interval '1 minute')`,
    left: `SELECT key AS label FROM rate_limit_hits WHERE key LIKE '%-' || $1`,
  },
  'mail-outbox.prune': {
    seed: `WITH emails AS (
             INSERT INTO mail_outbox ("to", subject, text, created_at) VALUES
               ('a@example.test', 'old-' || $1, 'done', now() - interval '31 days'),
               ('b@example.test', 'fresh-' || $1, 'recent', now() - interval '29 days'),
               ('c@example.test', 'fresh-kept-' || $1, 'given up', now() - interval '31 days')
             RETURNING id, subject)
           SELECT graphile_worker.add_job('mail.deliver', json_build_object('emailId', id),
                    job_key => 'email:' || id, run_at => now() + interval '1 day')
             FROM emails WHERE subject LIKE 'fresh-kept-%'`,
    left: `SELECT regexp_replace(subject, '-kept', '') AS label FROM mail_outbox
            WHERE subject LIKE '%-' || $1`,
  },
};

describe('the clean-up jobs', () => {
  let t: TestApp;
  let userId: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { SECURITY_EVENTS_RETENTION_DAYS: '90' } });
    userId = (await new World(t).user()).id;
  });
  afterAll(() => t.close());

  it('cover every table with expiring rows: each scheduled prune job has its case here', () => {
    const prunes = [...t.app.get(Jobs).registered.values()]
      .filter((task) => task.name.endsWith('.prune'))
      .map((task) => {
        expect(task.cron, `${task.name} runs on a schedule`).toEqual(expect.any(String));
        return task.name;
      });
    expect(prunes.sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.entries(CASES))(
    '%s deletes the old rows and keeps the fresh ones',
    async (name, { seed, left }) => {
      // The test's own connection, which row-level security does not limit: it sees every row.
      const tag = randomUUID().slice(0, 8);
      await sql(t, seed, seed.includes('$2') ? [tag, userId] : [tag]);
      const labels = async () =>
        (await sql<{ label: string }>(t, left, [tag])).map((r) => r.label).sort();
      expect(await labels()).toContain(`old-${tag}`);

      await runJob(t, name);

      const kept = await labels();
      expect(kept).not.toContain(`old-${tag}`);
      expect(kept.length).toBeGreaterThan(0);
      expect(new Set(kept)).toEqual(new Set([`fresh-${tag}`]));
    },
  );
});
