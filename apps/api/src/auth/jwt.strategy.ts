import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { type Principal } from '../core/auth/principal.js';
import { JWT_STRATEGY } from '../core/auth/strategies.js';
import { Config } from '../core/config/config.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { type AccessClaims } from './tokens.service.js';
import { SessionsService } from './sessions.service.js';

/** Bearer access tokens: HS256 only, issuer and audience checked, and the session still live. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    config: Config,
    private readonly sessions: SessionsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.JWT_ACCESS_SECRET,
      algorithms: ['HS256'],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    });
  }

  async validate(claims: AccessClaims): Promise<Principal> {
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') {
      throw new ProblemError('token_invalid', 'The access token is not valid.');
    }
    if (!(await this.sessions.isActive(claims.sub, claims.sid))) {
      throw new ProblemError('token_invalid', 'This session has ended: log in again.');
    }
    return { kind: 'session', userId: claims.sub, sessionId: claims.sid };
  }
}
