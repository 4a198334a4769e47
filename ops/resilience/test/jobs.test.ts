import { type Service, devApiEnv, workerProcess } from '@repo/stack';
import { freePort, newCredentials } from '@repo/test-support';
import { header, type SmtpSink, startSmtpSink } from '@repo/api/scenarios';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from './support/api.js';

/**
 * The job engine with real processes: an API process that runs no jobs (JOBS_WORKER=false) and
 * worker processes of their own, from the build, delivering the API's emails to an SMTP sink.
 * A worker killed mid-job, or the database stopped, loses no email.
 */
const LOGIN = { user: 'mailer', pass: 'jobs-smtp-pw' };
const POLL = { timeout: 60_000, interval: 200 };

describe('background jobs across processes', () => {
  let api: TestApi;
  let smtpPort: number;
  let env: Record<string, string>;
  const workers: Service[] = [];
  const sinks: SmtpSink[] = [];

  beforeAll(async () => {
    smtpPort = await freePort();
    const jobs = {
      SMTP_URL: `smtp://${LOGIN.user}:${LOGIN.pass}@127.0.0.1:${smtpPort}`,
      MAIL_FROM: 'Jobs <no-reply@jobs.test>',
      // Heartbeats every 200 ms: a silent worker is taken for dead after 1.2 s.
      JOBS_HEARTBEAT_MS: '200',
      JOBS_SHUTDOWN_TIMEOUT_MS: '1000',
    };
    api = await startApi({ ...jobs, JOBS_WORKER: 'false' });
    env = devApiEnv(api.databaseUrl, jobs) as Record<string, string>;
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
    await Promise.all(sinks.splice(0).map((sink) => sink.close()));
  });
  afterAll(() => api?.stop());

  async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: api.databaseUrl });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async function startWorker(name: string) {
    const worker = workerProcess(name, 'dist', { ...env, LOG_LEVEL: 'info' }).start();
    workers.push(worker);
    await expect
      .poll(() => worker.output.some((line) => line.includes('Job worker process ready')), POLL)
      .toBe(true);
    return worker;
  }

  async function sink(options: { holdFirst?: boolean } = {}) {
    const started = await startSmtpSink(smtpPort, LOGIN, options);
    sinks.push(started);
    return started;
  }

  /** Registers an account: the API queues its verification email. Returns the address. */
  async function register(): Promise<string> {
    const credentials = newCredentials();
    const res = await fetch(`${api.apiUrl}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    });
    expect(res.status).toBeLessThan(300);
    return credentials.email;
  }

  const delivered = (to: string) =>
    sinks.flatMap((s) => s.received).filter((email) => email.to.includes(to));

  it('a worker killed (SIGKILL) mid-delivery: another worker delivers the email, with its Message-ID', async () => {
    const relay = await sink({ holdFirst: true });
    const first = await startWorker('worker-1');
    const to = await register();
    await relay.holding; // worker-1 is sending it now, and the relay holds it there
    await startWorker('worker-2');
    first.kill('SIGKILL');

    await expect.poll(() => delivered(to).length, POLL).toBe(1);
    const [{ id }] = (await sql<{ id: string }>('SELECT id FROM mail_outbox WHERE "to" = $1', [
      to,
    ])) as [{ id: string }];
    expect(header(delivered(to)[0]!, 'Message-ID')).toBe(`<${id}@jobs.test>`);
    await expect
      .poll(
        async () =>
          (await sql('SELECT 1 FROM mail_outbox WHERE id = $1 AND sent_at IS NOT NULL', [id]))
            .length,
        POLL,
      )
      .toBe(1);
    expect(await first.exited()).toBe('SIGKILL');
  });

  it('a worker stopped (SIGTERM) mid-delivery hands the job back within its bound, and another delivers it', async () => {
    const relay = await sink({ holdFirst: true });
    const first = await startWorker('worker-1');
    const to = await register();
    await relay.holding;
    await startWorker('worker-2');
    first.kill('SIGTERM');
    // It waited JOBS_SHUTDOWN_TIMEOUT_MS for the held delivery, then handed it back, and exited.
    expect(await first.exited()).toBe(0);
    expect(first.output.join('\n')).toContain('Jobs still running at shutdown are handed back');

    await expect.poll(() => delivered(to).length, POLL).toBe(1);
  });

  it('the database stopped for 10 s: the emails queued before it are all delivered after it', async () => {
    // No relay yet: the jobs fail and wait for their retry.
    await startWorker('worker-1');
    const addresses: string[] = [];
    for (let i = 0; i < 10; i++) addresses.push(await register());
    await expect
      .poll(
        async () =>
          (
            await sql(
              `SELECT 1 FROM graphile_worker.jobs WHERE task_identifier = 'mail.deliver' AND attempts > 0`,
            )
          ).length,
        POLL,
      )
      .toBe(10);

    await api.stopDatabase();
    const outage = new Promise((resolve) => setTimeout(resolve, 10_000));
    await sink();
    await outage;
    await api.startDatabase();

    for (const to of addresses) await expect.poll(() => delivered(to).length, POLL).toBe(1);
    expect(
      await sql(`SELECT 1 FROM mail_outbox WHERE "to" = ANY($1) AND sent_at IS NULL`, [addresses]),
    ).toEqual([]);
  });
});
