import { Injectable } from '@nestjs/common';
import { type AuthTokens } from '@repo/contracts';
import { type FastifyReply } from 'fastify';
import { Config } from '../core/config/config.js';
import { type IssuedTokens } from './auth.service.js';
import { setRefreshCookie } from './refresh-cookie.js';
import { SessionsService } from './sessions.service.js';

/** How a new session's tokens reach the caller, for every endpoint that starts one. */
@Injectable()
export class TokenDelivery {
  constructor(
    private readonly sessions: SessionsService,
    private readonly config: Config,
  ) {}

  /** Browsers get the refresh token as a cookie only; native clients (no Origin) in the body. */
  deliver(issued: IssuedTokens, reply: FastifyReply, inBody: boolean): AuthTokens {
    if (!issued.refreshToken) return issued.body;
    if (!inBody)
      setRefreshCookie(reply, this.config, issued.refreshToken, this.sessions.refreshTtlS);
    return inBody ? { ...issued.body, refreshToken: issued.refreshToken } : issued.body;
  }
}
