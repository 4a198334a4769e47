import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The one live sign-in code of an email address: a new request replaces it. Keyed by the address,
 * not the user, so that checking a code looks the same whether or not an account exists; a
 * pending sign-up keeps its name here until its code is verified.
 */
@Entity('email_codes')
export class EmailCodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** citext: one row per address in any letter case. */
  @Index('email_codes_email_key', { unique: true })
  @Column({ type: 'citext' })
  email: string;

  /** HMAC of the address and the code: 6 digits are too few for a plain hash. */
  @Column({ name: 'code_hash', type: 'text', select: false })
  codeHash: string;

  /** The name of a sign-up: the account is created when the code is verified. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  name: string | null;

  /** Wrong codes tried; the code is void at EMAIL_CODE_MAX_ATTEMPTS. */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
