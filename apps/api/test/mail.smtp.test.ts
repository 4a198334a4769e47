import { outboxListSchema } from '@repo/contracts';
import { freePort } from '@repo/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '../src/mail/mail-retry.js';
import { MailFixtureModule } from './fixtures/mail.fixture.js';
import { header, type SmtpSink, startSmtpSink } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const LOGIN = { user: 'mailer', pass: 's3cret-smtp-pw' };
const FROM = 'Starter Tests <no-reply@example.test>';
const POLL = { timeout: 20_000, interval: 100 };

interface OutboxRow {
  id: string;
  to: string;
  attempts: number;
  sent_at: Date | null;
  next_attempt_at: Date;
  last_error: string | null;
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * One app for the file, its relay down at first, and the tests in order: nestjs-pino keeps one
 * root logger per process, so only the first app's background logs reach its `logs`.
 */
describe('email delivery over SMTP', () => {
  let port: number;
  let t: TestApp;
  let sink: SmtpSink | undefined;
  const env = () => ({
    SMTP_URL: `smtp://${LOGIN.user}:${LOGIN.pass}@127.0.0.1:${port}`,
    MAIL_FROM: FROM,
    MAIL_RETRY_BASE_MS: '200',
  });
  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp({ env: env(), imports: [MailFixtureModule] });
  });
  afterAll(async () => {
    await t.close();
    await sink?.close();
  });

  const send = (app: TestApp, to: string, subject: string, path = '') =>
    fetch(`${app.api}/fixtures/mail${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        to,
        subject,
        text: `Hello,\nOpen this link: http://localhost:3000/reset?token=${subject.length}`,
        link: `http://localhost:3000/reset?token=${subject.length}`,
      }),
    });

  const row = async (to: string) =>
    (await query<OutboxRow>(t.databaseUrl, 'SELECT * FROM mail_outbox WHERE "to" = $1', [to]))[0]!;

  const logged = (fields: Record<string, unknown>) =>
    t.logs.some((l) => Object.entries(fields).every(([k, v]) => l[k] === v));

  let doomedId: string;

  it('keeps an email while the relay is down, retrying it; gives up after the last attempt', async () => {
    // An email that failed every attempt but one: its next failure gives it up.
    const [doomed] = await query<{ id: string }>(
      t.databaseUrl,
      `INSERT INTO mail_outbox ("to", subject, text, attempts)
       VALUES ('doomed@example.test', 'Doomed', 'Never sent', $1) RETURNING id`,
      [MAX_ATTEMPTS - 1],
    );
    doomedId = doomed!.id;
    expect((await send(t, 'alice@example.test', 'Welcome')).status).toBe(204);

    await expect
      .poll(async () => (await row('alice@example.test')).attempts, POLL)
      .toBeGreaterThan(0);
    const pending = await row('alice@example.test');
    expect(pending.sent_at).toBeNull();
    expect(pending.last_error).toMatch(/ECONNREFUSED/);
    expect(pending.last_error).not.toContain(LOGIN.pass);
    await expect
      .poll(() => logged({ level: 40, msg: 'Email delivery failed; it will be retried' }), POLL)
      .toBe(true);

    await expect
      .poll(async () => (await row('doomed@example.test')).attempts, POLL)
      .toBe(MAX_ATTEMPTS);
    await expect
      .poll(() => logged({ level: 50, emailId: doomedId, attempts: MAX_ATTEMPTS }), POLL)
      .toBe(true);
  });

  it('delivers the kept email once the relay is up, and never the given-up one', async () => {
    // Due again, but given up: no dispatcher may take it.
    await query(t.databaseUrl, 'UPDATE mail_outbox SET next_attempt_at = now() WHERE id = $1', [
      doomedId,
    ]);
    sink = await startSmtpSink(port, LOGIN);

    await expect
      .poll(async () => (await row('alice@example.test')).sent_at, POLL)
      .toBeInstanceOf(Date);
    expect(sink.received.map((e) => e.to)).toEqual([['alice@example.test']]);
    const [doomed] = await query<OutboxRow & { due: boolean }>(
      t.databaseUrl,
      'SELECT *, next_attempt_at <= now() AS due FROM mail_outbox WHERE id = $1',
      [doomedId],
    );
    // Not even claimed in the run that sent the other: a claim would have leased it (not due).
    expect(doomed).toMatchObject({ attempts: MAX_ATTEMPTS, sent_at: null, due: true });
  });

  it('delivers each email with its sender, recipient, subject and body, and marks it sent', async () => {
    expect((await send(t, 'bob@example.test', 'Reset your password')).status).toBe(204);
    expect((await send(t, 'carol@example.test', 'Confirm your email', '/committed')).status).toBe(
      204,
    );

    const received = (to: string) => sink!.received.find((e) => e.to.includes(to));
    await expect.poll(() => received('carol@example.test'), POLL).toBeDefined();
    await expect.poll(() => received('bob@example.test'), POLL).toBeDefined();
    const bob = received('bob@example.test')!;
    expect(bob).toMatchObject({ from: 'no-reply@example.test', to: ['bob@example.test'] });
    expect(bob.user).toBe(LOGIN.user);
    expect(header(bob, 'From')).toBe(FROM);
    expect(header(bob, 'To')).toBe('bob@example.test');
    expect(header(bob, 'Subject')).toBe('Reset your password');
    expect(bob.body.trim()).toBe('Hello,\nOpen this link: http://localhost:3000/reset?token=19');
    expect(header(received('carol@example.test')!, 'Subject')).toBe('Confirm your email');

    await expect
      .poll(async () => (await row('bob@example.test')).sent_at, POLL)
      .toBeInstanceOf(Date);
    await expect
      .poll(async () => (await row('carol@example.test')).sent_at, POLL)
      .toBeInstanceOf(Date);
    expect(await row('bob@example.test')).toMatchObject({ attempts: 0, last_error: null });
    const listed = outboxListSchema.parse(
      await (await fetch(`${t.api}/dev/outbox?to=bob@example.test`)).json(),
    );
    expect(listed[0]!.sentAt).not.toBeNull();
  });

  it('skips an email another replica holds instead of waiting for it', async () => {
    await query(
      t.databaseUrl,
      `INSERT INTO mail_outbox ("to", subject, text) VALUES ('held@example.test', 'Held', 'Held')`,
    );
    const other = new pg.Client({ connectionString: t.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT id FROM mail_outbox WHERE "to" = 'held@example.test' FOR UPDATE`);

      expect((await send(t, 'free@example.test', 'Not held')).status).toBe(204);
      await expect
        .poll(async () => (await row('free@example.test')).sent_at, POLL)
        .toBeInstanceOf(Date);
      expect(await row('held@example.test')).toMatchObject({ sent_at: null, attempts: 0 });

      await other.query('ROLLBACK');
      expect((await send(t, 'free@example.test', 'Again')).status).toBe(204);
      await expect
        .poll(async () => (await row('held@example.test')).sent_at, POLL)
        .toBeInstanceOf(Date);
    } finally {
      await other.end();
    }
  });

  it('delivers each email exactly once when several API replicas share the outbox', async () => {
    const replica = await startTestApp({
      databaseUrl: t.databaseUrl,
      env: env(),
      imports: [MailFixtureModule],
    });
    try {
      await query(
        t.databaseUrl,
        `INSERT INTO mail_outbox ("to", subject, text)
         SELECT 'bulk' || i || '@example.test', 'Bulk ' || i, 'Body ' || i
         FROM generate_series(1, 40) i`,
      );
      // Both replicas start a run at once, each claiming batches of the same backlog.
      await Promise.all([
        send(t, 'bulk-a@example.test', 'From A'),
        send(replica, 'bulk-b@example.test', 'From B'),
      ]);
      await expect
        .poll(async () => {
          const [pending] = await query<{ count: string }>(
            t.databaseUrl,
            `SELECT count(*) FROM mail_outbox WHERE "to" LIKE 'bulk%' AND sent_at IS NULL`,
          );
          return Number(pending!.count);
        }, POLL)
        .toBe(0);
      const bulk = sink!.received.flatMap((e) => e.to).filter((to) => to.startsWith('bulk'));
      expect(bulk).toHaveLength(42);
      expect(new Set(bulk).size).toBe(42);
    } finally {
      await replica.close();
    }
  });
});
