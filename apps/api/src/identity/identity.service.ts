import { Injectable } from '@nestjs/common';
import {
  type AuthTokens,
  type ChangePassword,
  type MfaChallenge,
  type MfaMethod,
  type Register,
  type ResetPassword,
  type User,
} from '@repo/contracts';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import { Config } from '../core/config/config.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { MailService } from '../mail/mail.service.js';
import { type UserEntity } from '../users/user.entity.js';
import { toUser } from '../users/user.mapper.js';
import { UsersService } from '../users/users.service.js';
import { EmailTokensService } from './email-tokens.service.js';
import { MfaService } from '../mfa/mfa.service.js';
import { passkeyCount } from '../users/passkey-count.js';
import { PasswordService } from '../core/crypto/password.service.js';
import { PasswordPolicy } from '../passwords/password-policy.js';
import { registrationAttemptMail } from './registration-attempt-mail.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { PASSWORD_SIGN_IN, signInEvent, type SignInVia } from '../security-events/sign-in-via.js';
import { type ClientInfo, SessionsService } from '../sessions/sessions.service.js';
import { passwordFingerprint, TokensService } from '../sessions/tokens.service.js';

/** Tokens for a new or refreshed session; the refresh token goes to the cookie (or the body). */
export interface IssuedTokens {
  body: AuthTokens;
  refreshToken?: string;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly passwordPolicy: PasswordPolicy,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
    private readonly emailTokens: EmailTokensService,
    private readonly mfa: MfaService,
    private readonly apiKeys: ApiKeysService,
    private readonly mail: MailService,
    private readonly events: SecurityEventsService,
    private readonly dataSource: DataSource,
    private readonly config: Config,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(AuthService.name);
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
    return this.signIn(user, client);
  }

  /**
   * The end of every first sign-in step (password, email code, provider): the verified-email
   * rule, then the MFA challenge when the account has a second factor, else a new session.
   * `user` must carry its secrets (findWithSecrets); `via` is the first step, for the audit log.
   */
  async signIn(
    user: UserEntity,
    client: ClientInfo,
    via: SignInVia = PASSWORD_SIGN_IN,
  ): Promise<MfaChallenge | IssuedTokens> {
    if (this.config.REQUIRE_EMAIL_VERIFICATION && !user.emailVerifiedAt) {
      throw new ProblemError(
        'email_not_verified',
        'Confirm your email address first: use the link we sent.',
      );
    }
    if (user.totpEnabledAt) {
      const methods: MfaMethod[] = ['totp'];
      if ((await passkeyCount(user.id, this.dataSource.manager)) > 0) methods.push('passkey');
      return {
        mfaRequired: true,
        mfaToken: this.tokens.signMfaChallenge(user.id, user.passwordHash, via),
        methods,
      };
    }
    return this.startSession(user, client, via);
  }

  async verifyMfa(mfaToken: string, code: string, client: ClientInfo): Promise<IssuedTokens> {
    const user = await this.mfaChallengeUser(mfaToken);
    await this.mfa.acceptCode(user, code);
    const secondFactor = /^\d{6}$/.test(code) ? 'totp' : 'recovery_code';
    return this.startSession(user, client, this.mfaSignInVia(mfaToken, secondFactor));
  }

  /** How a sign-in that answered its MFA challenge was made: the challenge's first step, then this. */
  mfaSignInVia(mfaToken: string, secondFactor: SignInVia['secondFactor']): SignInVia {
    return { ...this.tokens.verifyMfaChallenge(mfaToken).via, secondFactor };
  }

  /**
   * The user an MFA challenge token stands for, with secrets, while the challenge holds: the
   * second step (a code, a passkey) is checked against this user, then startSession.
   */
  async mfaChallengeUser(mfaToken: string): Promise<UserEntity> {
    const challenge = this.tokens.verifyMfaChallenge(mfaToken);
    const user = await this.users.findWithSecrets({ id: challenge.userId });
    // A challenge started before a password reset or change is void.
    if (
      !user?.totpEnabledAt ||
      challenge.passwordFingerprint !== passwordFingerprint(user.passwordHash)
    ) {
      throw new ProblemError('token_invalid', 'The MFA challenge is not valid: log in again.');
    }
    return user;
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<IssuedTokens> {
    const rotation = await this.sessions.rotate(refreshToken, client);
    const user = await this.users.findById(rotation.userId);
    if (!user) throw new ProblemError('token_invalid', 'The account no longer exists.');
    return {
      body: this.authTokens(user, rotation.sessionId),
      ...(rotation.refreshToken ? { refreshToken: rotation.refreshToken } : {}),
    };
  }

  /** Ends the session of a refresh token; unknown tokens are fine (logging out twice is not an error). */
  async logout(refreshToken: string, client: ClientInfo): Promise<void> {
    const session = await this.sessions.findByRefreshToken(refreshToken);
    if (session && (await this.sessions.revoke(session.id))) {
      await this.events.record(session.userId, 'logout', client, { sessionId: session.id });
    }
  }

  /** Ends every session of the user, this one too. */
  async logoutAll(userId: string, client: ClientInfo): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.sessions.revokeAll(userId, undefined, manager);
      await this.events.record(userId, 'sessions_revoked', client, {}, manager);
    });
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
    await this.checkNewPassword(userId, password);
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
    await this.checkPassword(userId, input.currentPassword);
    await this.checkNewPassword(userId, input.newPassword);
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

  /** Throws unless the password policy lets this user set the password. */
  async checkNewPassword(userId: string, password: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw new ProblemError('not_found', 'The user no longer exists.');
    await this.passwordPolicy.check(password, user);
  }

  /** For sensitive changes: throws wrong_password unless the password is the user's. */
  async checkPassword(userId: string, password: string): Promise<void> {
    const user = await this.users.findWithSecrets({ id: userId });
    if (!(await this.passwords.verify(user?.passwordHash, password))) {
      throw new ProblemError('wrong_password', 'The current password is wrong.');
    }
  }

  /** A new session for a user whose every sign-in step is done, recorded in the audit log. */
  async startSession(
    user: UserEntity,
    client: ClientInfo,
    via: SignInVia = PASSWORD_SIGN_IN,
  ): Promise<IssuedTokens> {
    const { sessionId, refreshToken } = await this.dataSource.transaction(async (manager) => {
      const session = await this.sessions.create(user.id, client, manager);
      const [type, details] = signInEvent(via);
      await this.events.record(user.id, type, client, details, manager);
      return session;
    });
    return { body: this.authTokens(user, sessionId), refreshToken };
  }

  /** New tokens for a live session whose user has just proved who they are again (ASVS 7.2.4). */
  async renewSession(user: UserEntity, sessionId: string): Promise<IssuedTokens> {
    const refreshToken = await this.sessions.renew(sessionId, user.id);
    if (!refreshToken)
      throw new ProblemError('token_invalid', 'This session has ended: log in again.');
    return { body: this.authTokens(user, sessionId), refreshToken };
  }

  private authTokens(user: UserEntity, sessionId: string): AuthTokens {
    return {
      accessToken: this.tokens.signAccess(user.id, sessionId),
      tokenType: 'Bearer',
      expiresIn: this.tokens.accessTtlS,
      user: toUser(user),
    };
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
