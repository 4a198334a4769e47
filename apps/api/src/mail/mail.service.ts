import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type OutboxMessage } from '@repo/contracts';
import { type EntityManager, Repository } from 'typeorm';
import { AfterCommit } from '../core/database/after-commit.js';
import { MailOutboxEntity } from './mail-outbox.entity.js';
import { MailDispatcher } from './mail.dispatcher.js';

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
    private readonly dispatcher: MailDispatcher,
    private readonly afterCommit: AfterCommit,
  ) {}

  /**
   * Writes the email to the outbox; it is delivered once committed. Pass the caller's
   * transaction manager so the email commits, or rolls back, with the change it announces.
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
    this.afterCommit.run(manager, () => this.dispatcher.notify([id]));
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
