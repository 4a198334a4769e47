import { Controller, Req, Res } from '@nestjs/common';
import {
  type AuthTokens,
  contract,
  type LoginResult,
  REFRESH_COOKIE,
  type User,
} from '@repo/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal, sessionIdOf } from '../access/principal.js';
import { Config } from '../core/config/config.js';
import { clientInfo, isBrowser } from '../core/http/client-info.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { RateLimit } from '../core/rate-limit/rate-limit.js';
import { SignInService } from '../mfa/sign-in.service.js';
import { clearRefreshCookie, refreshTokenOf } from '../sessions/refresh-cookie.js';
import { SessionTokensService } from '../sessions/session-tokens.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { TokenDelivery } from '../sessions/token-delivery.js';
import { IdentityService } from './identity.service.js';

const auth = contract.auth;

@Controller()
export class IdentityController {
  constructor(
    private readonly identity: IdentityService,
    private readonly signIns: SignInService,
    private readonly sessions: SessionsService,
    private readonly sessionTokens: SessionTokensService,
    private readonly config: Config,
    private readonly delivery: TokenDelivery,
  ) {}

  @RateLimit('auth')
  @Handles(auth.register)
  register(@Input() { body }: InputOf<typeof auth.register>): Promise<void> {
    return this.identity.register(body);
  }

  @Handles(auth.verifyEmail)
  verifyEmail(
    @Input() { body }: InputOf<typeof auth.verifyEmail>,
    @Req() request: FastifyRequest,
  ): Promise<User> {
    return this.identity.verifyEmail(body.token, clientInfo(request));
  }

  @RateLimit('auth')
  @Handles(auth.resendVerification)
  resendVerification(@Input() { body }: InputOf<typeof auth.resendVerification>): void {
    this.identity.resendVerification(body.email);
  }

  @RateLimit('login')
  @Handles(auth.login)
  async login(
    @Input() { body }: InputOf<typeof auth.login>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResult> {
    const result = await this.identity.login(body.email, body.password, clientInfo(request));
    return this.delivery.loginResult(result, request, reply);
  }

  @RateLimit('code')
  @Handles(auth.verifyMfa)
  async verifyMfa(
    @Input() { body }: InputOf<typeof auth.verifyMfa>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthTokens> {
    const issued = await this.signIns.verifyMfa(body.mfaToken, body.code, clientInfo(request));
    return this.delivery.tokens(issued, reply, !isBrowser(request));
  }

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
    if (token) await this.sessions.logout(token, clientInfo(request));
  }

  @Handles(auth.logoutAll)
  async logoutAll(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    clearRefreshCookie(reply, this.config);
    await this.sessions.logoutAll(principal.userId, clientInfo(request));
  }

  @RateLimit('auth')
  @Handles(auth.requestPasswordReset)
  requestPasswordReset(@Input() { body }: InputOf<typeof auth.requestPasswordReset>): void {
    this.identity.requestPasswordReset(body.email);
  }

  @RateLimit('auth')
  @Handles(auth.resetPassword)
  resetPassword(
    @Input() { body }: InputOf<typeof auth.resetPassword>,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.identity.resetPassword(body, clientInfo(request));
  }

  @Handles(auth.changePassword)
  changePassword(
    @CurrentPrincipal() principal: Principal,
    @Input() { body }: InputOf<typeof auth.changePassword>,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.identity.changePassword(
      principal.userId,
      sessionIdOf(principal),
      body,
      clientInfo(request),
    );
  }
}
