import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { PinoLogger } from 'nestjs-pino';
import { createTransport, type Mail } from 'nodemailer';
import { DataSource } from 'typeorm';
import { Config } from '../core/config/config.js';
import { JobTask } from '../core/jobs/job-task.js';
import { tracer } from '../core/telemetry/tracing.js';
import { MailOutboxEntity } from './mail-outbox.entity.js';

export const DELIVER_MAIL = 'mail.deliver';

// nodemailer waits minutes by default; a hung relay must not hold a job that long.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** A relay's refusal, as the job engine stores it: its first line, short, never the password. */
class MailDeliveryError extends Error {
  override name = 'MailDeliveryError';
}

/**
 * Delivers each email of the outbox over SMTP (SMTP_URL), as the job `mail.deliver` that
 * MailService queues with it. Delivery is at least once: a worker that dies between the relay's
 * acceptance and `sent_at` sends the email again, with the same Message-ID, so a duplicate can be
 * recognised. Ten attempts with the engine's backoff span about three and a half hours. Without
 * SMTP_URL (dev) each email is logged instead, so its link can be clicked.
 */
@Injectable()
export class MailDelivery implements OnApplicationBootstrap, OnApplicationShutdown {
  private transport?: Mail;
  /** Kept out of stored and logged errors. */
  private smtpPassword = '';
  private readonly messageIdDomain: string;

  constructor(
    private readonly config: Config,
    private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(MailDelivery.name);
    this.messageIdDomain = /@([^>\s]+)>?\s*$/.exec(config.MAIL_FROM)?.[1] ?? 'localhost';
  }

  onApplicationBootstrap() {
    const url = this.config.SMTP_URL;
    if (!url) return;
    this.smtpPassword = decodeURIComponent(new URL(url).password);
    this.transport = createTransport({ url, ...SMTP_TIMEOUTS }, { from: this.config.MAIL_FROM });
  }

  /** After the job worker has stopped (JobWorker.onModuleDestroy): no job still sends. */
  onApplicationShutdown() {
    this.transport?.close();
  }

  /** The Message-ID of an email: the same at every attempt. */
  messageId(emailId: string): string {
    return `<${emailId}@${this.messageIdDomain}>`;
  }

  @JobTask(DELIVER_MAIL, { maxAttempts: 10 })
  async deliver({ emailId }: Record<string, unknown>): Promise<void> {
    const email = await this.dataSource
      .getRepository(MailOutboxEntity)
      .findOneBy({ id: String(emailId) });
    // Sent already: a retry of a job whose worker died after recording it.
    if (!email || email.sentAt) return;
    const transport = this.transport;
    if (!transport) {
      if (!this.config.isProduction) {
        const { to, subject, link } = email;
        this.logger.info(
          { to, subject, link },
          'Email written to the dev outbox (SMTP_URL is unset)',
        );
      }
      return;
    }
    await tracer.startActiveSpan('mail send', { kind: SpanKind.CLIENT }, async (span) => {
      try {
        await transport
          .sendMail({
            to: email.to,
            subject: email.subject,
            text: email.text,
            ...(email.html ? { html: email.html } : {}),
            messageId: this.messageId(email.id),
          })
          .catch((error: unknown) => {
            throw new MailDeliveryError(this.describe(error));
          });
      } finally {
        span.end();
      }
    });
    await this.dataSource.query('UPDATE mail_outbox SET sent_at = now() WHERE id = $1', [email.id]);
  }

  /**
   * Deletes the emails written over 30 days ago whose delivery is over (sent, or logged in dev);
   * an email whose job is still queued or was given up stays.
   */
  @JobTask('mail-outbox.prune', { cron: '43 3 * * *' })
  async prune(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM mail_outbox m WHERE created_at < now() - interval '30 days'
          AND NOT EXISTS (SELECT 1 FROM graphile_worker.jobs j WHERE j.key = 'email:' || m.id)`,
    );
  }

  /** A delivery error as stored: its first line, short, never the SMTP password. */
  private describe(error: unknown): string {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    const safe = this.smtpPassword ? message.replaceAll(this.smtpPassword, '[redacted]') : message;
    return safe.slice(0, 300);
  }
}
