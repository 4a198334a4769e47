import { PROBLEM_CONTENT_TYPE, problemDetailsSchema, userSchema } from '@repo/contracts';
import { newCredentials } from '@repo/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  /** Fires every registration at once; checks one 201 and the rest 409 email_taken. */
  async function race(emails: string[], password: string, name: string) {
    expect(emails).toHaveLength(CONCURRENT);
    const responses = await Promise.all(
      emails.map((email) => post(t, '/auth/register', { email, password, name })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(CONCURRENT - 1).fill(409)]);

    const created = responses.find((r) => r.status === 201)!;
    const user = userSchema.parse(await created.json());
    for (const res of responses.filter((r) => r.status === 409)) {
      expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
      const problem = problemDetailsSchema.parse(await res.json());
      expect(problem).toMatchObject({ status: 409, code: 'email_taken' });
      expect(problem.requestId).toBe(res.headers.get('x-request-id'));
    }
    return user;
  }

  it('10 at once with the same email: one 201, nine 409 email_taken, one user, one email', async () => {
    const { email, password, name } = newCredentials();
    const user = await race(Array<string>(CONCURRENT).fill(email), password, name);
    expect(user.email).toBe(email);

    const { users, mails, tokens } = await stored(email);
    expect(users).toEqual([{ id: user.id, email }]);
    expect(mails).toEqual([{ subject: 'Confirm your email address' }]);
    expect(tokens).toEqual([{ purpose: 'verify_email' }]);
  });

  it('10 at once with the email in different letter cases: still exactly one account', async () => {
    const { email, password, name } = newCredentials();
    const variants = caseVariants(email, CONCURRENT);
    const user = await race(variants, password, name);
    // Addresses are stored in lower case, whichever spelling won.
    expect(user.email).toBe(email);

    const { users, mails, tokens } = await stored(email);
    expect(users).toEqual([{ id: user.id, email }]);
    expect(mails).toEqual([{ subject: 'Confirm your email address' }]);
    expect(tokens).toEqual([{ purpose: 'verify_email' }]);
  });

  it('holds over repeated rounds (the race is won by a different request each time)', async () => {
    for (let round = 0; round < 3; round++) {
      const { email, password, name } = newCredentials();
      // Shuffled, so the plain spelling is not always sent first.
      const variants = caseVariants(email, CONCURRENT).sort(() => Math.random() - 0.5);
      const user = await race(variants, password, name);
      const { users, mails } = await stored(email);
      expect(users.map((u) => u.id)).toEqual([user.id]);
      expect(mails).toHaveLength(1);
    }
    // Nothing else slipped in: one account and one email per round and test, no more.
    const totals = await db.query<{ users: number; mails: number }>(
      `SELECT (SELECT count(*)::int FROM users) AS users,
              (SELECT count(*)::int FROM mail_outbox) AS mails`,
    );
    expect(totals.rows[0]).toEqual({ users: 5, mails: 5 });
  });
});
