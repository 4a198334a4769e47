import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { SecretBox } from '../core/crypto/secret-box.js';
import { ProblemError } from '../core/problem/problem.error.js';

/** What a challenge was issued for: it is accepted for that ceremony and that user only. */
export type ChallengePurpose = 'register' | 'sign-in' | 'mfa' | 'reauth';

/** How long a ceremony may take, from the options to the answer. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/**
 * Used challenges are forgotten this long after they expire (clocks of replicas and database
 * differ), by the job `passkey-challenges.prune`.
 */
export const FORGET_AFTER = '5 minutes';

const NONCE_BYTES = 16;
const EXPIRY_BYTES = 6;
const MAC_BYTES = 16;

/** A challenge this server issued and that has not expired. */
export interface IssuedChallenge {
  nonce: string;
  expiresAt: Date;
}

/**
 * WebAuthn challenges that need no server state until they are answered: each one is a random
 * nonce, its expiry and a MAC (DATA_ENCRYPTION_SECRET) over both, its purpose and its user. Any
 * replica can check one; a verified answer marks its nonce used in PostgreSQL, so no answer is
 * accepted twice, and asking for options (a public endpoint) writes nothing.
 */
@Injectable()
export class PasskeyChallenges {
  constructor(private readonly secretBox: SecretBox) {}

  issue(purpose: ChallengePurpose, userId = ''): Uint8Array<ArrayBuffer> {
    const nonce = randomBytes(NONCE_BYTES);
    const expiry = Buffer.alloc(EXPIRY_BYTES);
    expiry.writeUIntBE(Math.ceil((Date.now() + CHALLENGE_TTL_MS) / 1000), 0, EXPIRY_BYTES);
    return new Uint8Array(Buffer.concat([nonce, expiry, this.mac(purpose, userId, nonce, expiry)]));
  }

  /** The challenge (base64url, as in clientDataJSON) if this server issued it for this purpose and user, and it holds. */
  read(challenge: string, purpose: ChallengePurpose, userId = ''): IssuedChallenge | undefined {
    const bytes = Buffer.from(challenge, 'base64url');
    if (bytes.length !== NONCE_BYTES + EXPIRY_BYTES + MAC_BYTES) return undefined;
    const nonce = bytes.subarray(0, NONCE_BYTES);
    const expiry = bytes.subarray(NONCE_BYTES, NONCE_BYTES + EXPIRY_BYTES);
    const mac = bytes.subarray(NONCE_BYTES + EXPIRY_BYTES);
    if (!timingSafeEqual(mac, this.mac(purpose, userId, nonce, expiry))) return undefined;
    const expiresAt = new Date(expiry.readUIntBE(0, EXPIRY_BYTES) * 1000);
    if (expiresAt.getTime() <= Date.now()) return undefined;
    return { nonce: nonce.toString('base64url'), expiresAt };
  }

  /** Marks a challenge answered; a second answer to it (a replay, on any replica) is refused. */
  async consume(challenge: IssuedChallenge, manager: EntityManager): Promise<void> {
    const inserted = await manager.query<unknown[]>(
      `WITH inserted AS (
         INSERT INTO used_passkey_challenges (nonce, expires_at) VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING nonce)
       SELECT * FROM inserted`,
      [challenge.nonce, challenge.expiresAt],
    );
    if (inserted.length === 0)
      throw new ProblemError(
        'passkey_rejected',
        'This passkey answer was already used: try again.',
      );
  }

  private mac(purpose: ChallengePurpose, userId: string, nonce: Buffer, expiry: Buffer): Buffer {
    const message = `passkey-challenge:${purpose}:${userId}:${nonce.toString('hex')}:${expiry.toString('hex')}`;
    return Buffer.from(this.secretBox.hmac(message), 'hex').subarray(0, MAC_BYTES);
  }
}
