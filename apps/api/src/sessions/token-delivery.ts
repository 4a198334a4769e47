import { Injectable } from '@nestjs/common';
import { type AuthTokens, type LoginResult, type MfaChallenge } from '@repo/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { Config } from '../core/config/config.js';
import { type IssuedTokens } from './session-tokens.service.js';
import { isBrowser } from '../core/http/client-info.js';
import { setRefreshCookie } from './refresh-cookie.js';
import { SessionsService } from './sessions.service.js';

/** How the tokens of a new or refreshed session reach the client, for every sign-in route. */
@Injectable()
export class TokenDelivery {
  constructor(
    private readonly sessions: SessionsService,
    private readonly config: Config,
  ) {}

  /** Browsers get the refresh token as a cookie only; native clients (no Origin) in the body. */
  tokens(issued: IssuedTokens, reply: FastifyReply, inBody: boolean): AuthTokens {
    if (!issued.refreshToken) return issued.body;
    if (!inBody)
      setRefreshCookie(reply, this.config, issued.refreshToken, this.sessions.refreshTtlS);
    return inBody ? { ...issued.body, refreshToken: issued.refreshToken } : issued.body;
  }

  /** The end of a first sign-in step: the MFA challenge as is, or the session's tokens. */
  loginResult(
    result: MfaChallenge | IssuedTokens,
    request: FastifyRequest,
    reply: FastifyReply,
  ): LoginResult {
    if ('mfaRequired' in result) return result;
    return this.tokens(result, reply, !isBrowser(request));
  }
}
