import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { PinoLogger } from 'nestjs-pino';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createTransport, type Mail } from 'nodemailer';
import { DataSource, In } from 'typeorm';
import { Config } from '../core/config/config.js';
import { tracer } from '../core/telemetry/tracing.js';
import { MailOutboxEntity } from './mail-outbox.entity.js';
import { MAX_ATTEMPTS, retryDelayMs } from './mail-retry.js';

/** The timer finds what no commit here announced: another replica's or a crashed run's emails. */
const POLL_INTERVAL_MS = 15_000;
const BATCH_SIZE = 10;
// nodemailer waits minutes by default; a hung relay must not hold a batch that long.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
/** A claimed batch is hidden from other dispatchers this long; see deliverDue. */
const CLAIM_LEASE_S = 600;

interface ClaimedRow {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  attempts: number;
}

/**
 * Delivers the outbox over SMTP when SMTP_URL is set: on each commit that wrote an email, on a
 * timer, and when a retry is due. Without SMTP_URL (dev) it sends nothing and logs each new
 * email instead, so its link can be clicked.
 */
@Injectable()
export class MailDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private transport?: Mail;
  /** Kept out of stored and logged errors. */
  private smtpPassword = '';
  private pollTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private retryAt = Infinity;
  private running?: Promise<void>;
  private rerun = false;
  private stopping = false;
  /** Dev: committed emails still to be logged. */
  private readonly toLog: string[] = [];
  /** Runs belong to no request: otherwise the logs would name whichever request started them. */
  private readonly outsideRequests = AsyncLocalStorage.snapshot();

  constructor(
    private readonly config: Config,
    private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(MailDispatcher.name);
  }

  onApplicationBootstrap() {
    const url = this.config.SMTP_URL;
    if (!url) return;
    this.smtpPassword = decodeURIComponent(new URL(url).password);
    this.transport = createTransport({ url, ...SMTP_TIMEOUTS }, { from: this.config.MAIL_FROM });
    this.pollTimer = setInterval(() => this.trigger(), POLL_INTERVAL_MS).unref();
    // Emails left pending by the previous run.
    this.trigger();
  }

  /** Finishes the email being sent, hands the rest of its batch back, then closes the transport. */
  async onModuleDestroy() {
    this.stopping = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    await this.running;
    this.transport?.close();
  }

  /** The emails `ids` are committed: deliver them (SMTP) or log them (dev). */
  notify(ids: string[]) {
    if (!this.transport && !this.config.isProduction) this.toLog.push(...ids);
    this.trigger();
  }

  /** One run at a time; a call during a run makes it go round once more. */
  private trigger() {
    if (this.stopping) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.outsideRequests(() => this.run()).finally(() => {
      this.running = undefined;
      if (this.rerun) {
        this.rerun = false;
        this.trigger();
      }
    });
  }

  private async run() {
    try {
      if (this.transport) await this.deliverDue(this.transport);
      else await this.logNew();
    } catch (error) {
      this.logger.error({ err: error }, 'Email dispatch failed');
    }
  }

  /**
   * Claims and sends batches until none is full. What is left of a batch at shutdown, or once
   * half its lease is gone (a slow relay), is handed back before another dispatcher may take it.
   */
  private async deliverDue(transport: Mail) {
    let batch: ClaimedRow[];
    do {
      batch = await this.claim();
      const handBackAt = Date.now() + (CLAIM_LEASE_S * 1000) / 2;
      for (const [index, row] of batch.entries()) {
        if (this.stopping || Date.now() > handBackAt) return this.release(batch.slice(index));
        await this.deliver(transport, row);
      }
    } while (batch.length === BATCH_SIZE && !this.stopping);
  }

  /**
   * Takes the due emails no other dispatcher holds (SKIP LOCKED: API replicas share the table)
   * and leases them by moving their next attempt ahead, so the sending happens outside any
   * transaction. A dispatcher that dies mid-batch leaves the rest to be retried after the lease.
   */
  private async claim(): Promise<ClaimedRow[]> {
    const [rows] = await this.dataSource.query<[ClaimedRow[], number]>(
      `UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $1)
       WHERE id IN (
         SELECT id FROM mail_outbox
         WHERE sent_at IS NULL AND attempts < $2 AND next_attempt_at <= now()
         ORDER BY next_attempt_at
         LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING id, "to", subject, text, html, attempts`,
      [CLAIM_LEASE_S, MAX_ATTEMPTS, BATCH_SIZE],
    );
    return rows;
  }

  private async release(rows: ClaimedRow[]) {
    await this.dataSource.query(
      'UPDATE mail_outbox SET next_attempt_at = now() WHERE id = ANY($1)',
      [rows.map((row) => row.id)],
    );
  }

  /** One email, in a span of its own (the relay's answer and the outbox update under it). */
  private deliver(transport: Mail, row: ClaimedRow): Promise<void> {
    return tracer.startActiveSpan(
      'mail send',
      { kind: SpanKind.CLIENT, attributes: { 'mail.attempt': row.attempts + 1 } },
      (span) =>
        this.send(transport, row)
          .then((failure) => {
            // The relay's words stay in the log: they may name the recipient.
            if (failure !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
          })
          .finally(() => span.end()),
    );
  }

  /** Sends it and records the outcome; what went wrong, if it did. */
  private async send(transport: Mail, row: ClaimedRow): Promise<string | undefined> {
    let failure: string | undefined;
    try {
      await transport.sendMail({
        to: row.to,
        subject: row.subject,
        text: row.text,
        ...(row.html ? { html: row.html } : {}),
      });
    } catch (error) {
      failure = this.describeFailure(error);
    }
    if (failure === undefined) {
      await this.dataSource.query(
        'UPDATE mail_outbox SET sent_at = now(), last_error = NULL WHERE id = $1',
        [row.id],
      );
      return undefined;
    }
    const attempts = row.attempts + 1;
    const delayMs = retryDelayMs(attempts, this.config.MAIL_RETRY_BASE_MS);
    await this.dataSource.query(
      `UPDATE mail_outbox
       SET attempts = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4)
       WHERE id = $1`,
      [row.id, attempts, failure, delayMs / 1000],
    );
    if (attempts >= MAX_ATTEMPTS) {
      this.logger.error(
        { emailId: row.id, attempts, error: failure },
        'Email given up: the SMTP relay refused it every time',
      );
    } else {
      this.logger.warn(
        { emailId: row.id, attempts, error: failure, retryInMs: delayMs },
        'Email delivery failed; it will be retried',
      );
      this.wakeIn(delayMs);
    }
    return failure;
  }

  /** Brings a retry due before the next poll forward. */
  private wakeIn(delayMs: number) {
    const at = Date.now() + delayMs;
    if (delayMs >= POLL_INTERVAL_MS || at >= this.retryAt) return;
    clearTimeout(this.retryTimer);
    this.retryAt = at;
    this.retryTimer = setTimeout(() => {
      this.retryAt = Infinity;
      this.trigger();
    }, delayMs).unref();
  }

  /** Dev: reads the announced emails back (only committed rows are there) and logs them. */
  private async logNew() {
    const ids = this.toLog.splice(0);
    if (ids.length === 0) return;
    const emails = await this.dataSource
      .getRepository(MailOutboxEntity)
      .find({ where: { id: In(ids) }, order: { createdAt: 'ASC' } });
    for (const { to, subject, link } of emails) {
      this.logger.info(
        { to, subject, link },
        'Email written to the dev outbox (SMTP_URL is unset)',
      );
    }
  }

  /** A delivery error as stored and logged: its first line, short, never the SMTP password. */
  private describeFailure(error: unknown): string {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    const safe = this.smtpPassword ? message.replaceAll(this.smtpPassword, '[redacted]') : message;
    return safe.slice(0, 300);
  }
}
