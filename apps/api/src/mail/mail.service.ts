import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type OutboxMessage } from '@repo/contracts';
import { type EntityManager, Repository } from 'typeorm';
import { Jobs } from '../core/jobs/jobs.js';
import { MailOutboxEntity } from './mail-outbox.entity.js';
import { DELIVER_MAIL } from './mail.delivery.js';

export interface MailMessage {
  to: string;
  subject: string;
  /** The plain-text body. */
  text: string;
  /** The HTML body, sent beside the text (multipart/alternative). */
  html?: string;
  /** The action link; added to the body unless the text already has it. */
  link?: string;
}

const OUTBOX_PAGE = 50;

@Injectable()
export class MailService {
  constructor(
    @InjectRepository(MailOutboxEntity) private readonly outboxRepo: Repository<MailOutboxEntity>,
    private readonly jobs: Jobs,
  ) {}

  /**
   * Writes the email to the outbox and queues its delivery (the job `mail.deliver`). Pass the
   * caller's transaction manager so both commit, or roll back, with the change they announce.
   */
  async send(
    message: MailMessage,
    manager: EntityManager = this.outboxRepo.manager,
  ): Promise<void> {
    const { to, subject, text, html, link } = message;
    const result = await manager.insert(MailOutboxEntity, {
      to,
      subject,
      text: link && !text.includes(link) ? `${text}\n\n${link}` : text,
      html: html ?? null,
      link: link ?? null,
    });
    const { id } = result.identifiers[0] as { id: string };
    await this.jobs.enqueue(DELIVER_MAIL, { emailId: id }, { manager, jobKey: `email:${id}` });
  }

  /** The dev outbox: the latest emails, newest first, optionally to one recipient. */
  async outbox(to?: string): Promise<OutboxMessage[]> {
    const emails = await this.outboxRepo.find({
      where: to === undefined ? {} : { to },
      order: { createdAt: 'DESC' },
      take: OUTBOX_PAGE,
    });
    return emails.map((email) => ({
      id: email.id,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      link: email.link,
      createdAt: email.createdAt.toISOString(),
      sentAt: email.sentAt?.toISOString() ?? null,
    }));
  }
}
