import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { type Principal } from './principal.js';
import { JWT_STRATEGY } from './strategies.js';
import { Config } from '../core/config/config.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { type AccessClaims, accessClaimsOf, accessTokenVerification } from './access-token.js';
import { AccessService } from './access.service.js';
import { VerifiedAccessTokens } from './verified-access-tokens.js';

type Request = Parameters<Strategy['authenticate']>[0];

const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * Bearer access tokens, by the rules of access-token.ts, of a session that is still live. A token
 * this process has verified before skips passport-jwt's verification (VerifiedAccessTokens); the
 * session is checked every time.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    config: Config,
    private readonly access: AccessService,
    private readonly verified: VerifiedAccessTokens,
  ) {
    const { secret, ...verification } = accessTokenVerification(config);
    super({
      jwtFromRequest: bearerToken,
      secretOrKey: secret,
      ...verification,
      passReqToCallback: true,
    });
  }

  override authenticate(request: Request, options?: object) {
    const token = bearerToken(request);
    const claims = token ? this.verified.get(token) : undefined;
    if (!claims) {
      super.authenticate(request, options);
      return;
    }
    this.principalOf(claims).then(
      (principal) => this.success(principal),
      (error: unknown) => this.error(error as Error),
    );
  }

  /** Called by passport-jwt with the payload of a token it has just verified. */
  async validate(request: Request, payload: unknown): Promise<Principal> {
    const claims = accessClaimsOf(payload);
    this.verified.add(bearerToken(request)!, claims);
    return this.principalOf(claims);
  }

  private async principalOf(claims: AccessClaims): Promise<Principal> {
    const principal = await this.access.sessionPrincipal(claims);
    if (!principal)
      throw new ProblemError('token_invalid', 'This session has ended: log in again.');
    return principal;
  }
}
