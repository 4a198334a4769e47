import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { type SecurityEventDetails, type SecurityEventType } from '@repo/contracts';
import { UserEntity } from '../users/user.entity.js';

/** One line of a user's audit log: what happened to the account, when, and from where. */
@Entity('security_events')
// The log page (a user's events, newest first) and the new-device look-back.
@Index('security_events_user_id_created_at_idx', ['userId', 'createdAt'])
export class SecurityEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 40 })
  type: SecurityEventType;

  // Pruned by age (SECURITY_EVENTS_RETENTION_DAYS).
  @Index('security_events_created_at_idx')
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  /** Small facts (ids, names, the sign-in method and device); never a secret. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: SecurityEventDetails;
}
