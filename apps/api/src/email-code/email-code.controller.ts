import { Controller, Req, Res } from '@nestjs/common';
import { contract, type LoginResult, type User } from '@repo/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal } from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { RateLimit } from '../core/rate-limit/rate-limit.js';
import { clientInfo } from '../core/http/client-info.js';
import { TokenDelivery } from '../sessions/token-delivery.js';
import { EmailCodeService } from './email-code.service.js';
import { SetPasswordService } from './set-password.service.js';

const { emailCode, password } = contract;

@Controller()
export class EmailCodeController {
  constructor(
    private readonly service: EmailCodeService,
    private readonly passwords: SetPasswordService,
    private readonly delivery: TokenDelivery,
  ) {}

  // Per IP and per address whatever the IP: guessing a code, or flooding a mailbox, from many
  // addresses is held to the address's limit.
  @RateLimit('auth', 'email')
  @Handles(emailCode.request)
  request(@Input() { body }: InputOf<typeof emailCode.request>): void {
    this.service.request(body);
  }

  @RateLimit('code', 'email')
  @Handles(emailCode.verify)
  async verify(
    @Input() { body }: InputOf<typeof emailCode.verify>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResult> {
    const result = await this.service.verify(body, clientInfo(request));
    return this.delivery.loginResult(result, request, reply);
  }

  @Handles(password.set)
  setPassword(
    @CurrentPrincipal() principal: Principal,
    @Input() { body }: InputOf<typeof password.set>,
    @Req() request: FastifyRequest,
  ): Promise<User> {
    return this.passwords.setPassword(principal.userId, body.password, clientInfo(request));
  }
}
