import { Injectable } from '@nestjs/common';
import { type MfaChallenge, type MfaMethod } from '@repo/contracts';
import { DataSource } from 'typeorm';
import { Config } from '../core/config/config.js';
import { type ClientInfo } from '../core/http/client-info.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { PASSWORD_SIGN_IN, type SignInVia } from '../security-events/sign-in-via.js';
import { type IssuedTokens, SessionTokensService } from '../sessions/session-tokens.service.js';
import { passkeyCount } from '../users/passkey-count.js';
import { type UserEntity } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { MfaChallenges, passwordFingerprint } from './mfa-challenges.js';
import { MfaService } from './mfa.service.js';

/**
 * The end of every first sign-in step (password, email code, provider, passkey) and the second
 * step: the verified-email rule, then the MFA challenge when the account has a second factor,
 * else a new session.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly users: UsersService,
    private readonly sessionTokens: SessionTokensService,
    private readonly challenges: MfaChallenges,
    private readonly mfa: MfaService,
    private readonly dataSource: DataSource,
    private readonly config: Config,
  ) {}

  /**
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
        mfaToken: this.challenges.sign(user.id, user.passwordHash, via),
        methods,
      };
    }
    return this.sessionTokens.startSession(user, client, via);
  }

  async verifyMfa(mfaToken: string, code: string, client: ClientInfo): Promise<IssuedTokens> {
    const user = await this.mfaChallengeUser(mfaToken);
    await this.mfa.acceptCode(user, code);
    const secondFactor = /^\d{6}$/.test(code) ? 'totp' : 'recovery_code';
    return this.sessionTokens.startSession(user, client, this.mfaSignInVia(mfaToken, secondFactor));
  }

  /** How a sign-in that answered its MFA challenge was made: the challenge's first step, then this. */
  mfaSignInVia(mfaToken: string, secondFactor: SignInVia['secondFactor']): SignInVia {
    return { ...this.challenges.verify(mfaToken).via, secondFactor };
  }

  /**
   * The user an MFA challenge token stands for, with secrets, while the challenge holds: the
   * second step (a code, a passkey) is checked against this user, then startSession.
   */
  async mfaChallengeUser(mfaToken: string): Promise<UserEntity> {
    const challenge = this.challenges.verify(mfaToken);
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
}
