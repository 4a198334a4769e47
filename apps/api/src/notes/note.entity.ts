import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { UserEntity } from '../users/user.entity.js';

/**
 * A user's note. `version` is the optimistic-concurrency counter: 1 when created, +1 on every
 * update; an update names the version it was based on and is refused (409) when it is stale.
 */
@Entity('notes')
// The list's index: (owner_id, updated_at DESC). TypeORM cannot express a descending index
// column, so the migration creates it by hand and synchronize: false keeps the generator off it.
@Index('notes_owner_id_updated_at_idx', { synchronize: false })
export class NoteEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: UserEntity;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
