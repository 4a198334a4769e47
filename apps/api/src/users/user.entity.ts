import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VirtualColumn,
} from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** citext: unique regardless of case. */
  @Index('users_email_key', { unique: true })
  @Column({ type: 'citext' })
  email: string;

  /** argon2id. Never selected unless asked for; null for accounts that sign in without one. */
  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  /** Whether a password is set, without selecting its hash. */
  @VirtualColumn({
    type: 'boolean',
    query: (alias) => `SELECT ${alias}.password_hash IS NOT NULL`,
  })
  hasPassword: boolean;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  /** Encrypted with SecretBox; set at enrolment, before it is enabled. */
  @Column({ name: 'totp_secret', type: 'text', nullable: true, select: false })
  totpSecret: string | null;

  @Column({ name: 'totp_enabled_at', type: 'timestamptz', nullable: true })
  totpEnabledAt: Date | null;

  /** The last TOTP time step accepted: a code is never accepted twice. */
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true, select: false })
  totpLastStep: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
