import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { type Principal } from '../core/auth/principal.js';
import { JWT_STRATEGY } from '../core/auth/strategies.js';
import { Config } from '../core/config/config.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { accessClaimsOf, accessTokenVerification } from './access-token.js';
import { SessionsService } from './sessions.service.js';

/** Bearer access tokens, by the rules of access-token.ts, of a session that is still live. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    config: Config,
    private readonly sessions: SessionsService,
  ) {
    const { secret, ...verification } = accessTokenVerification(config);
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: secret,
      ...verification,
    });
  }

  async validate(payload: unknown): Promise<Principal> {
    const claims = accessClaimsOf(payload);
    if (!(await this.sessions.isActive(claims.sub, claims.sid, claims.exp * 1000))) {
      throw new ProblemError('token_invalid', 'This session has ended: log in again.');
    }
    return { kind: 'session', userId: claims.sub, sessionId: claims.sid };
  }
}
