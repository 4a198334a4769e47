import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { type AuthTokens, type LoginResult, REFRESH_COOKIE, type User } from '@repo/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { CurrentPrincipal, Public } from '../core/auth/access.decorators.js';
import { type Principal, sessionIdOf } from '../core/auth/principal.js';
import { Config } from '../core/config/config.js';
import { CookieCsrfGuard } from '../core/http/cookie-csrf.guard.js';
import { RateLimit } from '../core/http/rate-limit.js';
import {
  ChangePasswordDto,
  EmailOnlyDto,
  LoginDto,
  RefreshDto,
  RegisterDto,
  ResetPasswordDto,
  TokenOnlyDto,
  VerifyMfaDto,
} from './auth.dto.js';
import { AuthService, type IssuedTokens } from './auth.service.js';
import { clientInfo, isBrowser } from './client-info.js';
import { clearRefreshCookie, refreshTokenOf, setRefreshCookie } from './refresh-cookie.js';
import { SessionsService } from './sessions.service.js';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly config: Config,
  ) {}

  /** Browsers get the refresh token as a cookie only; native clients (no Origin) in the body. */
  private deliver(issued: IssuedTokens, reply: FastifyReply, inBody: boolean): AuthTokens {
    if (!issued.refreshToken) return issued.body;
    if (!inBody)
      setRefreshCookie(reply, this.config, issued.refreshToken, this.sessions.refreshTtlS);
    return inBody ? { ...issued.body, refreshToken: issued.refreshToken } : issued.body;
  }

  @Public()
  @RateLimit('auth')
  @Post('register')
  register(@Body() body: RegisterDto): Promise<User> {
    return this.auth.register(body);
  }

  @Public()
  @HttpCode(200)
  @Post('verify-email')
  verifyEmail(@Body() body: TokenOnlyDto): Promise<User> {
    return this.auth.verifyEmail(body.token);
  }

  @Public()
  @RateLimit('auth')
  @HttpCode(202)
  @Post('resend-verification')
  resendVerification(@Body() body: EmailOnlyDto): void {
    this.auth.resendVerification(body.email);
  }

  @Public()
  @RateLimit('login')
  @HttpCode(200)
  @Post('login')
  async login(
    @Body() body: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResult> {
    const result = await this.auth.login(body.email, body.password, clientInfo(request));
    if ('mfaRequired' in result) return result;
    return this.deliver(result, reply, !isBrowser(request));
  }

  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @Post('verify-mfa')
  async verifyMfa(
    @Body() body: VerifyMfaDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthTokens> {
    const issued = await this.auth.verifyMfa(body.mfaToken, body.code, clientInfo(request));
    return this.deliver(issued, reply, !isBrowser(request));
  }

  @Public()
  @UseGuards(CookieCsrfGuard)
  @HttpCode(200)
  @Post('refresh')
  async refresh(
    @Body() body: RefreshDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthTokens> {
    const { token, fromBody } = refreshTokenOf(request, body.refreshToken);
    try {
      return this.deliver(await this.auth.refresh(token, clientInfo(request)), reply, fromBody);
    } catch (error) {
      if (!fromBody) clearRefreshCookie(reply, this.config);
      throw error;
    }
  }

  @Public()
  @UseGuards(CookieCsrfGuard)
  @HttpCode(204)
  @Post('logout')
  async logout(
    @Body() body: RefreshDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    clearRefreshCookie(reply, this.config);
    const token = body.refreshToken ?? request.cookies[REFRESH_COOKIE];
    if (token) await this.auth.logout(token);
  }

  @HttpCode(204)
  @Post('logout-all')
  async logoutAll(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    clearRefreshCookie(reply, this.config);
    await this.sessions.revokeAll(principal.userId);
  }

  @Public()
  @RateLimit('auth')
  @HttpCode(202)
  @Post('request-password-reset')
  requestPasswordReset(@Body() body: EmailOnlyDto): void {
    this.auth.requestPasswordReset(body.email);
  }

  @Public()
  @RateLimit('auth')
  @HttpCode(204)
  @Post('reset-password')
  resetPassword(@Body() body: ResetPasswordDto): Promise<void> {
    return this.auth.resetPassword(body);
  }

  @HttpCode(204)
  @Post('change-password')
  changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    return this.auth.changePassword(principal.userId, sessionIdOf(principal), body);
  }
}
