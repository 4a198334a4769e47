import { Controller, Req, Res } from '@nestjs/common';
import { type AuthTokens, contract, REFRESH_COOKIE, type Session } from '@repo/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal, sessionIdOf } from '../access/principal.js';
import { Config } from '../core/config/config.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { clientInfo } from '../core/http/client-info.js';
import { clearRefreshCookie, refreshTokenOf } from './refresh-cookie.js';
import { SessionTokensService } from './session-tokens.service.js';
import { SessionsService } from './sessions.service.js';
import { TokenDelivery } from './token-delivery.js';

const auth = contract.auth;
const sessions = contract.sessions;

@Controller()
export class SessionsController {
  constructor(
    private readonly service: SessionsService,
    private readonly sessionTokens: SessionTokensService,
    private readonly delivery: TokenDelivery,
    private readonly config: Config,
  ) {}

  @Handles(auth.refresh)
  async refresh(
    @Input() { body }: InputOf<typeof auth.refresh>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthTokens> {
    const { token, fromBody } = refreshTokenOf(request, body.refreshToken);
    try {
      return this.delivery.tokens(
        await this.sessionTokens.refresh(token, clientInfo(request)),
        reply,
        fromBody,
      );
    } catch (error) {
      if (!fromBody) clearRefreshCookie(reply, this.config);
      throw error;
    }
  }

  @Handles(auth.logout)
  async logout(
    @Input() { body }: InputOf<typeof auth.logout>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    clearRefreshCookie(reply, this.config);
    const token = body.refreshToken ?? request.cookies[REFRESH_COOKIE];
    if (token) await this.service.logout(token, clientInfo(request));
  }

  @Handles(auth.logoutAll)
  async logoutAll(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    clearRefreshCookie(reply, this.config);
    await this.service.logoutAll(principal.userId, clientInfo(request));
  }

  @Handles(sessions.list)
  list(@CurrentPrincipal() principal: Principal): Promise<Session[]> {
    return this.service.list(principal.userId, sessionIdOf(principal));
  }

  @Handles(sessions.revoke)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Input() { params }: InputOf<typeof sessions.revoke>,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    if (!(await this.service.revokeOwn(params.id, principal.userId, clientInfo(request)))) {
      throw new ProblemError('not_found', 'No such live session of yours.');
    }
  }
}
