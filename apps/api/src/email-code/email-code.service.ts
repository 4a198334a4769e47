import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  EMAIL_CODE_MAX_ATTEMPTS,
  EMAIL_CODE_TTL_MINUTES,
  type MfaChallenge,
  type RequestEmailCode,
  type VerifyEmailCode,
} from '@repo/contracts';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Config } from '../core/config/config.js';
import { SecretBox } from '../core/crypto/secret-box.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { MailService } from '../mail/mail.service.js';
import { type UserEntity } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { SignInService } from '../mfa/sign-in.service.js';
import { type IssuedTokens } from '../sessions/session-tokens.service.js';
import { type ClientInfo } from '../core/http/client-info.js';
import { emailCodeMail } from './email-code-mail.js';

const invalidCode = () =>
  new ProblemError('invalid_code', 'This code is wrong, used or expired: ask for a new one.');

/**
 * Passwordless sign-in and sign-up with a one-time code mailed to the address. Codes are 6
 * digits from a CSPRNG, stored as an HMAC, live 10 minutes, work once, die after 5 wrong tries,
 * and a new request replaces the old code.
 */
@Injectable()
export class EmailCodeService {
  constructor(
    private readonly users: UsersService,
    private readonly signIns: SignInService,
    private readonly mail: MailService,
    private readonly box: SecretBox,
    private readonly dataSource: DataSource,
    private readonly config: Config,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(EmailCodeService.name);
  }

  /**
   * Answers at once, whatever the address; the work happens after, so neither the answer nor its
   * timing tells whether an account exists.
   */
  request(input: RequestEmailCode): void {
    this.issue(input).catch((error: unknown) =>
      this.logger.error({ err: error }, 'Background email code request failed'),
    );
  }

  /**
   * Uses up the code, then ends the first sign-in step as a password would: the MFA challenge
   * when TOTP is on, else a new session. The code proves the mailbox: the address is verified,
   * and a pending sign-up becomes an account (without a password).
   */
  async verify(
    { email, code }: VerifyEmailCode,
    client: ClientInfo,
  ): Promise<MfaChallenge | IssuedTokens> {
    const signUpName = await this.consume(email, code);
    const user = await this.accountFor(email, signUpName);
    return this.signIns.signIn(user, client, { method: 'email_code' });
  }

  /** Mails a code to an account's own address: proof that the caller holds the mailbox. */
  mailProof(email: string): Promise<void> {
    return this.issue({ email });
  }

  /** Uses up a code mailed to this address, or throws invalid_code. */
  async acceptProof(email: string, code: string): Promise<void> {
    await this.consume(email, code);
  }

  /**
   * Stores a new code for the address, replacing any earlier one, and mails it when there is an
   * account or a sign-up. An unknown address without a sign-up gets a code no one is told (so
   * checking a code costs the same for every address), and no email.
   */
  private async issue({ email, name }: RequestEmailCode): Promise<void> {
    const user = await this.users.findWithSecrets({ email });
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const signUp = !user && name !== undefined;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO email_codes (email, code_hash, name, expires_at)
              VALUES ($1, $2, $3, now() + make_interval(mins => $4))
         ON CONFLICT (email) DO UPDATE
                SET code_hash = excluded.code_hash, name = excluded.name, attempts = 0,
                    expires_at = excluded.expires_at, used_at = NULL, created_at = now()`,
        [email, this.hash(email, code), signUp ? name : null, EMAIL_CODE_TTL_MINUTES],
      );
      if (!user && !signUp) return;
      await this.mail.send(
        emailCodeMail({
          to: user?.email ?? email,
          code,
          webOrigin: this.config.WEB_ORIGIN,
          signUp,
        }),
        manager,
      );
    });
  }

  /**
   * Checks the code in one statement, so two checks of one code cannot both win: a right code is
   * used up, a wrong one counts as a try. Returns the pending sign-up's name, if any.
   */
  private async consume(email: string, code: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ matched: boolean; name: string | null }[]>(
      `WITH tried AS (
         UPDATE email_codes
            SET used_at = CASE WHEN code_hash = $2 THEN now() END,
                attempts = attempts + CASE WHEN code_hash = $2 THEN 0 ELSE 1 END
          WHERE email = $1 AND used_at IS NULL AND expires_at > now() AND attempts < $3
          RETURNING used_at IS NOT NULL AS matched, name)
       SELECT * FROM tried`,
      [email, this.hash(email, code), EMAIL_CODE_MAX_ATTEMPTS],
    );
    const row = rows[0];
    if (!row?.matched) throw invalidCode();
    return row.name;
  }

  /** The account of a verified address, made verified; created for a pending sign-up. */
  private async accountFor(email: string, signUpName: string | null): Promise<UserEntity> {
    const existing = await this.users.findWithSecrets({ email });
    if (existing) return this.markVerified(existing);
    if (signUpName === null) throw invalidCode(); // an address no code was mailed to
    try {
      const id = await this.dataSource.transaction(async (manager) => {
        const user = await this.users.create(
          { email, name: signUpName, passwordHash: null },
          manager,
        );
        await manager.query('UPDATE users SET email_verified_at = now() WHERE id = $1', [user.id]);
        return user.id;
      });
      return (await this.users.findWithSecrets({ id }))!;
    } catch (error) {
      // Registered with a password meanwhile: the code still proves the mailbox of that account.
      if (!(error instanceof ProblemError && error.code === 'email_taken')) throw error;
      return this.markVerified((await this.users.findWithSecrets({ email }))!);
    }
  }

  private async markVerified(user: UserEntity): Promise<UserEntity> {
    if (user.emailVerifiedAt) return user;
    await this.dataSource.query(
      'UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1',
      [user.id],
    );
    await this.users.announce(user.id);
    return Object.assign(user, { emailVerifiedAt: new Date() });
  }

  /** Bound to the address, keyed with the server's secret: a database dump reveals no code. */
  private hash(email: string, code: string): string {
    return this.box.hmac(`email-code:${email.toLowerCase()}:${code}`);
  }
}
