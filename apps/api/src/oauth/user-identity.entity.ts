import { type OAuthProviderId } from '@repo/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { UserEntity } from '../users/user.entity.js';

/** An account at a sign-in provider, linked to a user: a way into that user's account. */
@Entity('user_identities')
@Index('user_identities_provider_subject_key', ['provider', 'subject'], { unique: true })
export class UserIdentityEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 20 })
  provider: OAuthProviderId;

  /** The provider's stable id of the account (`sub`; GitHub's numeric user id): never the email. */
  @Column({ type: 'varchar', length: 255 })
  subject: string;

  @Index('user_identities_user_id_idx')
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  /** The email the provider gave when it was linked, to show which account it is. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
