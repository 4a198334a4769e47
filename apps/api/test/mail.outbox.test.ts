import { outboxListSchema, PROBLEM_CONTENT_TYPE, problemDetailsSchema } from '@repo/contracts';
import { freePort } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailFixtureModule } from './fixtures/mail.fixture.js';
import { jobsWhere } from './support/jobs.js';
import { createTestDatabase, migrateTestDatabase } from './support/test-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const DEV_LOG_MESSAGE = 'Email written to the dev outbox (SMTP_URL is unset)';

const problem = async (res: Response, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  const body = problemDetailsSchema.parse(await res.json());
  expect(body).toMatchObject({ status, code });
  return body;
};

describe('dev outbox (no SMTP_URL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [MailFixtureModule] });
  });
  afterAll(() => t.close());

  const send = (to: string, subject: string, path = '') =>
    fetch(`${t.api}/fixtures/mail${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        to,
        subject,
        text: `Hello,\n\nThis is "${subject}".`,
        link: `http://localhost:3000/verify?token=${encodeURIComponent(subject)}`,
      }),
    });

  const outbox = async (query = '') => {
    const res = await fetch(`${t.api}/dev/outbox${query}`);
    expect(res.status).toBe(200);
    return outboxListSchema.parse(await res.json());
  };

  // Mail jobs run side by side, so the log's order is not the order of sending.
  const loggedSubjects = (to: string) =>
    t.logs
      .filter((l) => l.msg === DEV_LOG_MESSAGE && l.to === to)
      .map((l) => String(l.subject))
      .toSorted();

  it('lists the emails written, newest first, with their links, filtered by recipient', async () => {
    expect(t.routes).toContain('GET /api/v1/dev/outbox');
    for (const [to, subject] of [
      ['alice@example.test', 'First'],
      ['bob@example.test', 'Second'],
      ['alice@example.test', 'Third'],
    ] as const) {
      expect((await send(to, subject)).status).toBe(204);
    }

    const all = await outbox();
    expect(all.map((m) => m.subject)).toEqual(['Third', 'Second', 'First']);

    const forAlice = await outbox('?to=alice@example.test');
    expect(forAlice.map((m) => m.subject)).toEqual(['Third', 'First']);
    expect(forAlice[0]).toMatchObject({
      to: 'alice@example.test',
      link: 'http://localhost:3000/verify?token=Third',
      sentAt: null,
    });
    // The body carries the link, so the email works without the dev outbox.
    expect(forAlice[0]!.text).toBe(
      'Hello,\n\nThis is "Third".\n\nhttp://localhost:3000/verify?token=Third',
    );
    expect(Date.parse(forAlice[0]!.createdAt)).toBeGreaterThan(Date.parse(forAlice[1]!.createdAt));

    // The query is normalised like every email address the API takes.
    expect((await outbox('?to=Alice@Example.TEST')).map((m) => m.subject)).toEqual([
      'Third',
      'First',
    ]);
    expect(await outbox('?to=nobody@example.test')).toEqual([]);
  });

  it('logs each new email with its recipient, subject and link, as nothing is sent', async () => {
    await expect
      .poll(() => loggedSubjects('alice@example.test'), { timeout: 10_000 })
      .toEqual(['First', 'Third']);
    const line = t.logs.find((l) => l.msg === DEV_LOG_MESSAGE && l.subject === 'Second');
    expect(line).toMatchObject({
      level: 30,
      to: 'bob@example.test',
      link: 'http://localhost:3000/verify?token=Second',
    });
  });

  it('writes an email inside a transaction and announces it once the transaction commits', async () => {
    expect((await send('carol@example.test', 'Committed', '/committed')).status).toBe(204);
    expect((await outbox('?to=carol@example.test')).map((m) => m.subject)).toEqual(['Committed']);
    await expect
      .poll(() => loggedSubjects('carol@example.test'), { timeout: 10_000 })
      .toEqual(['Committed']);
  });

  it('never keeps nor announces an email whose transaction rolls back', async () => {
    await problem(await send('dave@example.test', 'Rolled back', '/rolled-back'), 409, 'conflict');
    expect((await send('dave@example.test', 'Later', '')).status).toBe(204);
    await expect
      .poll(() => loggedSubjects('dave@example.test'), { timeout: 10_000 })
      .toEqual(['Later']);
    // With no mail job left in the queue, a job for the rolled-back email would have run by now.
    await expect
      .poll(async () => (await jobsWhere(t, "task_identifier = 'mail.deliver'")).length, {
        timeout: 10_000,
      })
      .toBe(0);
    expect(loggedSubjects('dave@example.test')).toEqual(['Later']);
    expect((await outbox('?to=dave@example.test')).map((m) => m.subject)).toEqual(['Later']);
  });

  it('400 validation_failed for a recipient that is not an email, or an unknown parameter', async () => {
    const body = await problem(
      await fetch(`${t.api}/dev/outbox?to=not-an-email`),
      400,
      'validation_failed',
    );
    expect(body.errors?.map((e) => e.path)).toEqual(['to']);
    await problem(await fetch(`${t.api}/dev/outbox?from=x`), 400, 'validation_failed');
  });
});

describe('dev outbox in production', () => {
  let t: TestApp;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    // Production applies migrations in a separate job, not at start: do it here.
    database = await createTestDatabase();
    await migrateTestDatabase(database.url);
    t = await startTestApp({
      databaseUrl: database.url,
      env: {
        NODE_ENV: 'production',
        JWT_ACCESS_SECRET: 'k'.repeat(48),
        DATA_ENCRYPTION_SECRET: 'd'.repeat(48),
        CORS_ORIGINS: 'https://app.example.com',
        WEB_ORIGIN: 'https://app.example.com',
        SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('has no /dev/outbox route: a plain 404 problem', async () => {
    expect(t.routes.some((r) => r.includes('/dev/outbox'))).toBe(false);
    await problem(await fetch(`${t.api}/dev/outbox`), 404, 'not_found');
    await problem(await fetch(`${t.api}/dev/outbox?to=alice@example.test`), 404, 'not_found');
  });
});
