import { outboxListSchema } from '@repo/contracts';
import { freePort } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailFixtureModule } from './fixtures/mail.fixture.js';
import { dueNow, jobsWhere, query } from './support/jobs.js';
import { header, type SmtpSink, startSmtpSink } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const LOGIN = { user: 'mailer', pass: 's3cret-smtp-pw' };
const FROM = 'Starter Tests <no-reply@example.test>';
const POLL = { timeout: 20_000, interval: 100 };

interface OutboxRow {
  id: string;
  to: string;
  sent_at: Date | null;
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

  /** The delivery job of an email (its key names the email), while it is queued. */
  const jobOf = async (emailId: string) =>
    (await jobsWhere(t, 'key = $1', [`email:${emailId}`]))[0];

  let aliceId: string;
  let doomedId: string;

  it('keeps an email while the relay is down, its job retried with backoff; a job failing to the last is kept', async () => {
    expect((await send(t, 'alice@example.test', 'Welcome')).status).toBe(204);
    aliceId = (await row('alice@example.test')).id;
    await expect.poll(async () => (await jobOf(aliceId))?.last_error, POLL).toMatch(/ECONNREFUSED/);
    const job = (await jobOf(aliceId))!;
    expect(job).toMatchObject({ task_identifier: 'mail.deliver', attempts: 1, max_attempts: 10 });
    expect(job.last_error).not.toContain(LOGIN.pass);
    expect(job.run_at.getTime()).toBeGreaterThan(Date.now()); // backing off
    expect((await row('alice@example.test')).sent_at).toBeNull();
    await expect
      .poll(() => logged({ level: 40, msg: 'Job failed: it will be retried', jobId: job.id }), POLL)
      .toBe(true);
    // The failure's log line names the job and the attempt, not the recipient nor the relay's words.
    const failures = t.logs.filter((l) => l.jobId === job.id);
    expect(failures[0]).toMatchObject({
      job: 'mail.deliver',
      attempt: 1,
      error: 'MailDeliveryError',
    });
    expect(JSON.stringify(failures)).not.toMatch(/alice|ECONNREFUSED/);

    // An email whose job has one attempt left: its failure is the last.
    const [doomed] = await query<{ id: string }>(
      t.databaseUrl,
      `WITH email AS (
         INSERT INTO mail_outbox ("to", subject, text)
         VALUES ('doomed@example.test', 'Doomed', 'Never sent') RETURNING id)
       SELECT id, graphile_worker.add_job('mail.deliver', json_build_object('emailId', id),
                max_attempts => 1, job_key => 'email:' || id) FROM email`,
    );
    doomedId = doomed!.id;
    await expect
      .poll(
        () => logged({ level: 50, msg: 'Job failed for the last time: kept for an operator' }),
        POLL,
      )
      .toBe(true);
    expect(await jobOf(doomedId)).toMatchObject({ attempts: 1, max_attempts: 1, locked_by: null });
  });

  it('delivers the kept email once the relay is up, with the Message-ID it had from the start, and never the given-up one', async () => {
    sink = await startSmtpSink(port, LOGIN);
    // Due now, both: the given-up one must stay given up.
    await dueNow(t, [(await jobOf(aliceId))!.id, (await jobOf(doomedId))!.id]);

    await expect
      .poll(async () => (await row('alice@example.test')).sent_at, POLL)
      .toBeInstanceOf(Date);
    expect(sink.received.map((e) => e.to)).toEqual([['alice@example.test']]);
    expect(header(sink.received[0]!, 'Message-ID')).toBe(`<${aliceId}@example.test>`);
    expect(await jobOf(aliceId)).toBeUndefined(); // done
    expect(await jobOf(doomedId)).toMatchObject({ attempts: 1, max_attempts: 1 });
    expect((await row('doomed@example.test')).sent_at).toBeNull();
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
    expect(await jobOf((await row('bob@example.test')).id)).toBeUndefined();
    const listed = outboxListSchema.parse(
      await (await fetch(`${t.api}/dev/outbox?to=bob@example.test`)).json(),
    );
    expect(listed[0]!.sentAt).not.toBeNull();
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
        `WITH email AS (
           INSERT INTO mail_outbox ("to", subject, text)
           SELECT 'bulk' || i || '@example.test', 'Bulk ' || i, 'Body ' || i
             FROM generate_series(1, 40) i RETURNING id)
         SELECT graphile_worker.add_job('mail.deliver', json_build_object('emailId', id),
                  job_key => 'email:' || id) FROM email`,
      );
      // Both replicas' workers take jobs of the same backlog.
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
