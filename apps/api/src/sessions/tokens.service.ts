import { Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { Config } from '../core/config/config.js';
import { durationSeconds } from '../core/config/duration.js';
import { sha256 } from '../core/crypto/crypto.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { type AccessClaims, accessClaimsOf, accessTokenVerification } from '../access/access-token.js';
import { VerifiedAccessTokens } from '../access/verified-access-tokens.js';
import { PASSWORD_SIGN_IN, type SignInVia } from '../security-events/sign-in-via.js';

const MFA_TOKEN_TTL_S = 300;

/** Signs access and MFA-challenge tokens: HS256 only, with issuer and audience. */
@Injectable()
export class TokensService {
  readonly accessTtlS: number;
  private readonly mfaAudience: string;

  constructor(
    private readonly jwt: JwtService,
    private readonly config: Config,
    private readonly verified: VerifiedAccessTokens,
  ) {
    this.accessTtlS = durationSeconds(config.ACCESS_TOKEN_TTL);
    // A distinct audience, so an MFA challenge can never pass as an access token.
    this.mfaAudience = `${config.JWT_AUDIENCE}:mfa`;
  }

  signAccess(userId: string, sessionId: string): string {
    return this.jwt.sign(
      { sid: sessionId },
      { subject: userId, audience: this.config.JWT_AUDIENCE, expiresIn: this.accessTtlS },
    );
  }

  /**
   * The claims of a valid access token, by the same rules as passport's JwtStrategy (see
   * access-token.ts), for callers outside passport such as the WebSocket gateway; throws when it
   * is not valid.
   */
  verifyAccess(token: string): AccessClaims {
    const verified = this.verified.get(token);
    if (verified) return verified;
    const claims = accessClaimsOf(
      this.jwt.verify<object>(token, accessTokenVerification(this.config)),
    );
    this.verified.add(token, claims);
    return claims;
  }

  /**
   * A 5-minute token for the second login step. It carries a fingerprint of the password hash,
   * so a password reset or change voids the challenges started with the old password.
   */
  signMfaChallenge(userId: string, passwordHash: string | null, via: SignInVia): string {
    return this.jwt.sign(
      { typ: 'mfa', pwv: passwordFingerprint(passwordHash), via },
      { subject: userId, audience: this.mfaAudience, expiresIn: MFA_TOKEN_TTL_S },
    );
  }

  /**
   * The claims of a valid MFA challenge token: its user, the fingerprint of their password then,
   * and how the first step was made.
   */
  verifyMfaChallenge(token: string): {
    userId: string;
    passwordFingerprint?: string;
    via: SignInVia;
  } {
    try {
      const claims = this.jwt.verify<{ sub: string; pwv?: string; via?: SignInVia }>(token, {
        audience: this.mfaAudience,
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
