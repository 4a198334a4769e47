import { Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { Config } from '../core/config/config.js';
import { sha256 } from '../core/crypto/crypto.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { PASSWORD_SIGN_IN, type SignInVia } from '../security-events/sign-in-via.js';

const MFA_TOKEN_TTL_S = 300;

/** What a valid MFA challenge token says. */
export interface MfaChallenge {
  userId: string;
  /** Of the user's password hash when the challenge began (see passwordFingerprint). */
  passwordFingerprint?: string;
  /** How the first step was made. */
  via: SignInVia;
}

/**
 * The token of the second sign-in step: signed with the access-token key (HS256, issuer) but a
 * distinct audience, so an MFA challenge can never pass as an access token.
 */
@Injectable()
export class MfaChallenges {
  private readonly audience: string;

  constructor(
    private readonly jwt: JwtService,
    config: Config,
  ) {
    this.audience = `${config.JWT_AUDIENCE}:mfa`;
  }

  /**
   * A 5-minute token for the second login step. It carries a fingerprint of the password hash,
   * so a password reset or change voids the challenges started with the old password.
   */
  sign(userId: string, passwordHash: string | null, via: SignInVia): string {
    return this.jwt.sign(
      { typ: 'mfa', pwv: passwordFingerprint(passwordHash), via },
      { subject: userId, audience: this.audience, expiresIn: MFA_TOKEN_TTL_S },
    );
  }

  /** The claims of a valid MFA challenge token; throws a problem for any other. */
  verify(token: string): MfaChallenge {
    try {
      const claims = this.jwt.verify<{ sub: string; pwv?: string; via?: SignInVia }>(token, {
        audience: this.audience,
      });
      return {
        userId: claims.sub,
        passwordFingerprint: claims.pwv,
        via: claims.via ?? PASSWORD_SIGN_IN,
      };
    } catch (error) {
      if (error instanceof TokenExpiredError) {
        throw new ProblemError('token_expired', 'The login took too long: log in again.');
      }
      throw new ProblemError('token_invalid', 'The MFA challenge is not valid: log in again.');
    }
  }
}

/** A short digest of a password hash: changes whenever the password does, reveals nothing. */
export const passwordFingerprint = (passwordHash: string | null) =>
  sha256(passwordHash ?? '').slice(0, 16);
