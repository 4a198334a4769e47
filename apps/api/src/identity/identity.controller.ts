import { Controller, Req, Res } from '@nestjs/common';
import { contract, type LoginResult, type User } from '@repo/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal, sessionIdOf } from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { RateLimit } from '../core/rate-limit/rate-limit.js';
import { IdentityService } from './identity.service.js';
import { clientInfo } from '../core/http/client-info.js';
import { TokenDelivery } from '../sessions/token-delivery.js';

const auth = contract.auth;

@Controller()
export class IdentityController {
  constructor(
    private readonly identity: IdentityService,
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
