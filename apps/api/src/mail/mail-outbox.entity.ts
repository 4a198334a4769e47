import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Every email the API writes, in the same transaction as the change it announces, with the job
 * that delivers it (MailDelivery). Without SMTP the table is the dev mailbox.
 */
@Entity('mail_outbox')
// The dev outbox: one recipient's emails, newest first.
@Index('mail_outbox_to_created_at_idx', ['to', 'createdAt'])
export class MailOutboxEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 254 })
  to: string;

  @Column({ type: 'varchar', length: 200 })
  subject: string;

  @Column({ type: 'text' })
  text: string;

  /** The HTML part, when the email has one (rendered from the same template as `text`). */
  @Column({ type: 'text', nullable: true })
  html: string | null;

  /** The action link of the email, also in `text`; kept apart for the dev outbox and log. */
  @Column({ type: 'text', nullable: true })
  link: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** When the SMTP relay accepted it; null while pending, and always in dev. */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
