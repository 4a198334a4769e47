import { Injectable } from '@nestjs/common';
import {
  REAUTH_WINDOW_MINUTES,
  type Reauthenticate,
  type ReauthProof,
  type ReauthStatus,
} from '@repo/contracts';
import { DataSource } from 'typeorm';
import { ProblemError } from '../core/problem/problem.error.js';
import { type UserEntity } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { type IssuedTokens, SessionTokensService } from '../sessions/session-tokens.service.js';
import { EmailCodeService } from '../email-code/email-code.service.js';
import { MfaService } from '../mfa/mfa.service.js';
import { passkeyCount } from '../users/passkey-count.js';
import { PasskeysService } from '../passkeys/passkeys.service.js';
import { PasswordService } from '../core/crypto/password.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { type ClientInfo } from '../core/http/client-info.js';

/**
 * Re-authentication: a session proves again who it is (its sign-in was a proof too), and for
 * REAUTH_WINDOW_MINUTES after that its sensitive changes go through. The time of the last proof
 * lives on the session row, so every API instance sees it.
 */
@Injectable()
export class ReauthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly mfa: MfaService,
    private readonly passkeys: PasskeysService,
    private readonly emailCodes: EmailCodeService,
    private readonly events: SecurityEventsService,
    private readonly sessionTokens: SessionTokensService,
  ) {}

  /** Until when the session's last proof holds, or null when a new one is needed. */
  async until(sessionId: string): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ until: Date | null }[]>(
      `SELECT CASE WHEN authenticated_at > now() - make_interval(mins => $2)
                   THEN authenticated_at + make_interval(mins => $2) END AS until
         FROM sessions WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, REAUTH_WINDOW_MINUTES],
    );
    return row?.until ?? null;
  }

  /** Throws reauth_required, naming the user's proofs, unless the session proved itself lately. */
  async require(userId: string, sessionId: string | undefined): Promise<void> {
    if (sessionId && (await this.until(sessionId))) return;
    throw new ProblemError(
      'reauth_required',
      sessionId
        ? `Confirm it is you: this change needs a sign-in or confirmation from the last ${REAUTH_WINDOW_MINUTES} minutes.`
        : 'Sign in to make this change: an API key cannot.',
      { proofs: await this.proofsOf(await this.user(userId)) },
    );
  }

  async status(userId: string, sessionId: string): Promise<ReauthStatus> {
    const [proofs, until] = await Promise.all([
      this.proofsOf(await this.user(userId)),
      this.until(sessionId),
    ]);
    return { proofs, until: until?.toISOString() ?? null };
  }

  /**
   * Checks the proof and, when it holds, opens the window of this session and renews its tokens:
   * whoever held the previous ones does not inherit the proof.
   */
  async reauthenticate(
    userId: string,
    sessionId: string,
    input: Reauthenticate,
    client: ClientInfo,
  ): Promise<{ issued: IssuedTokens; until: string }> {
    const user = await this.user(userId);
    if (!(await this.proofsOf(user)).includes(input.proof)) {
      throw new ProblemError('bad_request', `This account cannot prove itself by ${input.proof}.`);
    }
    try {
      await this.check(user, input);
    } catch (error) {
      if (error instanceof ProblemError) {
        await this.events.record(userId, 'reauth_failed', client, { method: input.proof });
      }
      throw error;
    }
    const issued = await this.sessionTokens.renewSession(user, sessionId);
    await this.events.record(userId, 'reauthenticated', client, { method: input.proof });
    const until = await this.until(sessionId);
    if (!until) throw new ProblemError('token_invalid', 'This session has ended: log in again.');
    return { issued, until: until.toISOString() };
  }

  /** Mails a code to an account without a password, its proof. */
  async mailCode(userId: string): Promise<void> {
    const user = await this.user(userId);
    if (!(await this.proofsOf(user)).includes('email_code')) {
      throw new ProblemError('bad_request', 'This account proves itself with its password.');
    }
    await this.emailCodes.mailProof(user.email);
  }

  /**
   * The proofs this user can give: each factor they have, and a mailed code only for an account
   * without a password (with one, the mailbox alone must not stand in for it).
   */
  async proofsOf(user: UserEntity): Promise<ReauthProof[]> {
    const passkeys = await passkeyCount(user.id, this.dataSource.manager);
    return [
      ...(user.passwordHash ? (['password'] as const) : []),
      ...(user.totpEnabledAt ? (['totp'] as const) : []),
      ...(passkeys > 0 ? (['passkey'] as const) : []),
      ...(user.passwordHash ? [] : (['email_code'] as const)),
    ];
  }

  private async check(user: UserEntity, input: Reauthenticate): Promise<void> {
    switch (input.proof) {
      case 'password':
        if (!(await this.passwords.verify(user.passwordHash, input.password!))) {
          throw new ProblemError('wrong_password', 'That is not your password.');
        }
        return;
      case 'totp':
        return this.mfa.acceptCode(user, input.code!);
      case 'passkey':
        return this.passkeys.verifyOwn(user.id, input.response!, 'reauth');
      case 'email_code':
        return this.emailCodes.acceptProof(user.email, input.code!);
    }
  }

  private async user(userId: string): Promise<UserEntity> {
    const user = await this.users.findWithSecrets({ id: userId });
    if (!user) throw new ProblemError('unauthorized', 'This account no longer exists.');
    return user;
  }
}
