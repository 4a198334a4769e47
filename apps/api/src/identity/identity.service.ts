import { Injectable } from '@nestjs/common';
import {
  type ChangePassword,
  type MfaChallenge,
  type Register,
  type ResetPassword,
  type User,
} from '@repo/contracts';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import { Config } from '../core/config/config.js';
import { PasswordService } from '../core/crypto/password.service.js';
import { type ClientInfo } from '../core/http/client-info.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { MailService } from '../mail/mail.service.js';
import { SignInService } from '../mfa/sign-in.service.js';
import { PasswordPolicy } from '../passwords/password-policy.js';
import { PasswordsService } from '../passwords/passwords.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { type IssuedTokens } from '../sessions/session-tokens.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { type UserEntity } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { EmailTokensService } from './email-tokens.service.js';
import { registrationAttemptMail } from './registration-attempt-mail.js';

/**
 * Accounts with a password: registration, the email address's verification, the password sign-in
 * step, and the password's reset and change.
 */
@Injectable()
export class IdentityService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly passwordPolicy: PasswordPolicy,
    private readonly passwordChecks: PasswordsService,
    private readonly sessions: SessionsService,
    private readonly signIns: SignInService,
    private readonly emailTokens: EmailTokensService,
    private readonly apiKeys: ApiKeysService,
    private readonly mail: MailService,
    private readonly events: SecurityEventsService,
    private readonly dataSource: DataSource,
    private readonly config: Config,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(IdentityService.name);
  }

  /**
   * Answers alike for a new and a registered address (no account enumeration): once the password
   * passes the policy (which does not depend on the account), the rest happens after the answer.
   * A new address gets the verification email; the owner of a registered one hears of the try.
   */
  async register(input: Register): Promise<void> {
    await this.passwordPolicy.check(input.password, input);
    this.inBackground('registration', () => this.createAccount(input));
  }

  private async createAccount(input: Register): Promise<void> {
    const existing = await this.users.findWithSecrets({ email: input.email });
    if (existing) return this.mailRegistrationAttempt(existing);
    const passwordHash = await this.passwords.hash(input.password);
    try {
      await this.dataSource.transaction(async (manager) => {
        const user = await this.users.create(
          { email: input.email, name: input.name, passwordHash },
          manager,
        );
        await this.mailVerification(user, manager);
      });
    } catch (error) {
      // Registered meanwhile (the same form sent twice, say): its owner hears of this one too.
      if (!(error instanceof ProblemError && error.code === 'email_taken')) throw error;
      const owner = await this.users.findWithSecrets({ email: input.email });
      if (owner) await this.mailRegistrationAttempt(owner);
    }
  }

  private mailRegistrationAttempt(owner: UserEntity): Promise<void> {
    return this.mail.send(
      registrationAttemptMail({
        to: owner.email,
        name: owner.name,
        webOrigin: this.config.WEB_ORIGIN,
      }),
    );
  }

  async verifyEmail(token: string, client: ClientInfo): Promise<User> {
    const userId = await this.dataSource.transaction(async (manager) => {
      const id = await this.emailTokens.consume(token, 'verify_email', manager);
      await manager.query(
        'UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1',
        [id],
      );
      await this.events.record(id, 'email_verified', client, {}, manager);
      return id;
    });
    return this.users.me(userId);
  }

  /** Answers at once, whether or not the account exists; the work happens after. */
  resendVerification(email: string): void {
    this.inBackground('resend verification', async () => {
      const user = await this.users.findWithSecrets({ email });
      if (!user || user.emailVerifiedAt) return;
      await this.dataSource.transaction((manager) => this.mailVerification(user, manager));
    });
  }

  async login(
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<MfaChallenge | IssuedTokens> {
    const user = await this.users.findWithSecrets({ email });
    if (!(await this.passwords.verify(user?.passwordHash, password)) || !user) {
      // Recorded after the answer, so its timing tells no one that the account exists. The
      // password tried is never kept.
      if (user) {
        this.inBackground('failed login record', () =>
          this.events.record(user.id, 'login_failed', client, { reason: 'wrong_password' }),
        );
      }
      throw new ProblemError('invalid_credentials', 'The email or the password is wrong.');
    }
    return this.signIns.signIn(user, client);
  }

  requestPasswordReset(email: string): void {
    this.inBackground('password reset request', async () => {
      const user = await this.users.findWithSecrets({ email });
      if (!user) return;
      await this.dataSource.transaction(async (manager) => {
        const token = await this.emailTokens.issue(user.id, 'reset_password', manager);
        const link = `${this.config.WEB_ORIGIN}/reset-password?token=${token}`;
        await this.mail.send(
          {
            to: user.email,
            subject: 'Reset your password',
            text: `Hello ${user.name},\n\nTo choose a new password, open this link within an hour:\n${link}\n\nIf you did not ask for it, ignore this email: your password stays as it is.`,
            link,
          },
          manager,
        );
      });
    });
  }

  /**
   * Sets the new password and ends every session and API key: whoever had the old password (and
   * may have made a key with it) is out.
   */
  async resetPassword({ token, password }: ResetPassword, client: ClientInfo): Promise<void> {
    // The link is used up only by a password that passes: a refused one can be retried.
    const userId = await this.emailTokens.peek(token, 'reset_password', this.dataSource.manager);
    await this.passwordChecks.checkNewPassword(userId, password);
    const passwordHash = await this.passwords.hash(password);
    await this.dataSource.transaction(async (manager) => {
      // Used up in the write: of two resets with one link, one wins.
      await this.emailTokens.consume(token, 'reset_password', manager);
      // The link reached the inbox, so the address is confirmed too.
      await manager.query(
        'UPDATE users SET password_hash = $2, email_verified_at = coalesce(email_verified_at, now()), updated_at = now() WHERE id = $1',
        [userId, passwordHash],
      );
      await this.sessions.revokeAll(userId, undefined, manager);
      await this.apiKeys.revokeAll(userId, manager);
      await this.events.record(userId, 'password_reset', client, {}, manager);
    });
  }

  /** Changes the password and ends the user's other sessions. */
  async changePassword(
    userId: string,
    sessionId: string,
    input: ChangePassword,
    client: ClientInfo,
  ): Promise<void> {
    await this.passwordChecks.checkPassword(userId, input.currentPassword);
    await this.passwordChecks.checkNewPassword(userId, input.newPassword);
    const passwordHash = await this.passwords.hash(input.newPassword);
    await this.dataSource.transaction(async (manager) => {
      await manager.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [
        userId,
        passwordHash,
      ]);
      await this.sessions.revokeAll(userId, sessionId, manager);
      await this.events.record(userId, 'password_changed', client, {}, manager);
    });
  }

  private async mailVerification(
    user: UserEntity,
    manager: Parameters<EmailTokensService['issue']>[2],
  ) {
    const token = await this.emailTokens.issue(user.id, 'verify_email', manager);
    const link = `${this.config.WEB_ORIGIN}/verify-email?token=${token}`;
    await this.mail.send(
      {
        to: user.email,
        subject: 'Confirm your email address',
        text: `Hello ${user.name},\n\nConfirm your email address by opening this link within 24 hours:\n${link}\n\nIf you did not create an account, ignore this email.`,
        link,
      },
      manager,
    );
  }

  /** Work whose outcome must not show in the response (no account enumeration by timing). */
  private inBackground(what: string, work: () => Promise<unknown>) {
    work().catch((error: unknown) =>
      this.logger.error({ err: error }, `Background ${what} failed`),
    );
  }
}
