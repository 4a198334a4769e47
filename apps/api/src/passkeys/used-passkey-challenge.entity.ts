import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The challenges passkey ceremonies have answered, kept until they expire: each is accepted once,
 * whichever API replica sees it (see PasskeyChallenges).
 */
@Entity('used_passkey_challenges')
export class UsedPasskeyChallengeEntity {
  /** The challenge's random part, base64url. */
  @PrimaryColumn({ type: 'text' })
  nonce: string;

  @Index('used_passkey_challenges_expires_at_idx')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
