import { newCredentials } from '@repo/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { post } from './support/auth-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const CONCURRENT = 10;

/** The address in `count` spellings that differ only in letter case (the first as given). */
function caseVariants(email: string, count: number): string[] {
  // Variant i upper-cases the characters whose position mod 4 is a set bit of i: 16 spellings.
  const variants = Array.from({ length: count }, (_, i) =>
    [...email].map((ch, j) => ((i >> (j % 4)) & 1 ? ch.toUpperCase() : ch)).join(''),
  );
  expect(new Set(variants).size).toBe(count);
  return variants;
}

describe('concurrent registrations of one email', () => {
  let t: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        RATE_LIMIT_LOGIN_PER_IP: '10000',
        RATE_LIMIT_LOGIN_PER_EMAIL: '10000',
        RATE_LIMIT_AUTH_PER_IP: '10000',
      },
    });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  /** What the database holds for an address, in any letter case. */
  const stored = async (email: string) => {
    const users = await db.query<{ id: string; email: string }>(
      'SELECT id, email::text FROM users WHERE lower(email::text) = lower($1)',
      [email],
    );
    const mails = await db.query<{ subject: string }>(
      'SELECT subject FROM mail_outbox WHERE lower("to") = lower($1)',
      [email],
    );
    const tokens = await db.query<{ purpose: string }>(
      `SELECT purpose FROM email_tokens
        WHERE user_id IN (SELECT id FROM users WHERE lower(email::text) = lower($1))`,
      [email],
    );
    return { users: users.rows, mails: mails.rows, tokens: tokens.rows };
  };

  /**
   * Fires every registration at once: each is answered 202 with no body, as any registration is.
   * The work goes on after the answers; it is done when every request has mailed (the winner its
   * verification link, each other one a notice to the owner). Returns what was stored.
   */
  async function race(emails: string[], password: string, name: string) {
    expect(emails).toHaveLength(CONCURRENT);
    const responses = await Promise.all(
      emails.map((email) => post(t, '/auth/register', { email, password, name })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array<number>(CONCURRENT).fill(202));
    expect(await Promise.all(responses.map((r) => r.text()))).toEqual(
      Array<string>(CONCURRENT).fill(''),
    );
    await vi.waitFor(
      async () => expect((await stored(emails[0]!)).mails).toHaveLength(CONCURRENT),
      { timeout: 10_000, interval: 50 },
    );
    return stored(emails[0]!);
  }

  /** One verification email, and a notice to the owner for every other request. */
  const ONE_ACCOUNT_MAILS = [
    'Confirm your email address',
    ...Array<string>(CONCURRENT - 1).fill('Someone tried to register with your email address'),
  ].sort();

  it('10 at once with the same email: ten 202, one user, one verification email', async () => {
    const { email, password, name } = newCredentials();
    const { users, mails, tokens } = await race(
      Array<string>(CONCURRENT).fill(email),
      password,
      name,
    );
    expect(users).toEqual([{ id: expect.any(String) as string, email }]);
    expect(mails.map((m) => m.subject).sort()).toEqual(ONE_ACCOUNT_MAILS);
    expect(tokens).toEqual([{ purpose: 'verify_email' }]);
  });

  it('10 at once with the email in different letter cases: still exactly one account', async () => {
    const { email, password, name } = newCredentials();
    const { users, mails, tokens } = await race(caseVariants(email, CONCURRENT), password, name);
    // Addresses are stored in lower case, whichever spelling won.
    expect(users).toEqual([{ id: expect.any(String) as string, email }]);
    expect(mails.map((m) => m.subject).sort()).toEqual(ONE_ACCOUNT_MAILS);
    expect(tokens).toEqual([{ purpose: 'verify_email' }]);
  });

  it('holds over repeated rounds (the race is won by a different request each time)', async () => {
    for (let round = 0; round < 3; round++) {
      const { email, password, name } = newCredentials();
      // Shuffled, so the plain spelling is not always sent first.
      const variants = caseVariants(email, CONCURRENT).sort(() => Math.random() - 0.5);
      const { users, mails } = await race(variants, password, name);
      expect(users).toHaveLength(1);
      expect(mails.map((m) => m.subject).sort()).toEqual(ONE_ACCOUNT_MAILS);
    }
    // Nothing else slipped in: one account and ten emails per round and test, no more.
    const totals = await db.query<{ users: number; mails: number }>(
      `SELECT (SELECT count(*)::int FROM users) AS users,
              (SELECT count(*)::int FROM mail_outbox) AS mails`,
    );
    expect(totals.rows[0]).toEqual({ users: 5, mails: 5 * CONCURRENT });
  });
});
