import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type RecoveryCodes, type TotpSetup } from '@repo/contracts';
import { Secret, TOTP } from 'otpauth';
import { DataSource, type EntityManager } from 'typeorm';
import { Config } from '../core/config/config.js';
import { SecretBox } from '../core/crypto/secret-box.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { UserEntity } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { RecoveryCodeEntity } from './recovery-code.entity.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { type ClientInfo } from '../core/http/client-info.js';

const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const PERIOD_S = 30;
/** One step either side: codes from clocks 30 s off still work. */
const WINDOW = 1;

/**
 * Four groups of six characters of 31: about 119 random bits. Above 112 bits a lookup secret may
 * be stored under a plain keyed hash (ASVS 6.5.2), which keeps checking one a single query.
 */
const recoveryCode = () =>
  Array.from({ length: 4 }, () =>
    Array.from({ length: 6 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join(
      '',
    ),
  ).join('-');

/** TOTP (RFC 6238) enrolment and checks, and one-time recovery codes. */
@Injectable()
export class MfaService {
  constructor(
    private readonly users: UsersService,
    private readonly secretBox: SecretBox,
    private readonly dataSource: DataSource,
    private readonly config: Config,
    private readonly events: SecurityEventsService,
  ) {}

  private totp(user: UserEntity, secret: Secret) {
    return new TOTP({
      issuer: this.config.TOTP_ISSUER,
      label: user.email,
      secret,
      period: PERIOD_S,
    });
  }

  private async userWithSecrets(userId: string): Promise<UserEntity> {
    const user = await this.users.findWithSecrets({ id: userId });
    if (!user) throw new ProblemError('not_found', 'The user no longer exists.');
    return user;
  }

  /** A new secret, stored encrypted; TOTP stays off until a code confirms it. */
  async setup(userId: string): Promise<TotpSetup> {
    const user = await this.userWithSecrets(userId);
    if (user.totpEnabledAt)
      throw new ProblemError('conflict', 'TOTP is already on: turn it off first.');
    const secret = new Secret({ size: 20 });
    await this.dataSource
      .getRepository(UserEntity)
      .update(
        { id: userId },
        { totpSecret: this.secretBox.encrypt(secret.base32), totpLastStep: null },
      );
    return { secret: secret.base32, otpauthUrl: this.totp(user, secret).toString() };
  }

  /** Turns TOTP on after a valid code; returns fresh recovery codes, shown this once. */
  async enable(userId: string, code: string, client: ClientInfo): Promise<RecoveryCodes> {
    const user = await this.userWithSecrets(userId);
    if (user.totpEnabledAt) throw new ProblemError('conflict', 'TOTP is already on.');
    if (!user.totpSecret) throw new ProblemError('conflict', 'Start with /auth/mfa/totp/setup.');
    const codes = await this.dataSource.transaction(async (manager) => {
      await this.acceptTotp(user, code, manager);
      await manager.getRepository(UserEntity).update({ id: userId }, { totpEnabledAt: new Date() });
      await this.events.record(userId, 'mfa_enabled', client, { method: 'totp' }, manager);
      return { recoveryCodes: await this.replaceRecoveryCodes(userId, manager) };
    });
    await this.users.announce(userId);
    return codes;
  }

  /** Turns TOTP off: needs the password (checked by the caller) and a TOTP or recovery code. */
  async disable(userId: string, code: string, client: ClientInfo): Promise<void> {
    const user = await this.userWithSecrets(userId);
    if (!user.totpEnabledAt) throw new ProblemError('conflict', 'TOTP is not on.');
    await this.dataSource.transaction(async (manager) => {
      await this.acceptCode(user, code, manager);
      await manager
        .getRepository(UserEntity)
        .update({ id: userId }, { totpSecret: null, totpEnabledAt: null, totpLastStep: null });
      await manager.getRepository(RecoveryCodeEntity).delete({ userId });
      await this.events.record(userId, 'mfa_disabled', client, { method: 'totp' }, manager);
    });
    await this.users.announce(userId);
  }

  /** Accepts a TOTP code or an unused recovery code of the user, once, or throws invalid_mfa_code. */
  async acceptCode(
    user: UserEntity,
    code: string,
    manager: EntityManager = this.dataSource.manager,
  ) {
    if (/^\d{6}$/.test(code)) return this.acceptTotp(user, code, manager);
    const used = await manager.query<unknown[]>(
      `WITH used AS (
         UPDATE recovery_codes SET used_at = now()
          WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id)
       SELECT * FROM used`,
      [user.id, this.secretBox.hmac(code.toLowerCase())],
    );
    if (used.length === 0)
      throw new ProblemError('invalid_mfa_code', 'That recovery code is not valid or was used.');
  }

  private async acceptTotp(user: UserEntity, code: string, manager: EntityManager) {
    if (!user.totpSecret) throw new ProblemError('invalid_mfa_code', 'TOTP is not set up.');
    const secret = Secret.fromBase32(this.secretBox.decrypt(user.totpSecret));
    const now = Date.now(); // one clock reading for the check and the step, or a boundary could split them
    const delta = this.totp(user, secret).validate({ token: code, window: WINDOW, timestamp: now });
    if (delta === null)
      throw new ProblemError('invalid_mfa_code', 'That code is not valid: use the current one.');
    // Each time step is accepted once: a code seen (or phished) cannot be replayed.
    const step = Math.floor(now / 1000 / PERIOD_S) + delta;
    const accepted = await manager.query<unknown[]>(
      `WITH accepted AS (
         UPDATE users SET totp_last_step = $2
          WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id)
       SELECT * FROM accepted`,
      [user.id, step],
    );
    if (accepted.length === 0)
      throw new ProblemError(
        'invalid_mfa_code',
        'That code was already used: wait for the next one.',
      );
  }

  private async replaceRecoveryCodes(userId: string, manager: EntityManager): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, recoveryCode);
    const repository = manager.getRepository(RecoveryCodeEntity);
    await repository.delete({ userId });
    await repository.insert(codes.map((code) => ({ userId, codeHash: this.secretBox.hmac(code) })));
    return codes;
  }
}
