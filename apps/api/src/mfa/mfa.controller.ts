import { Controller, Req, Res } from '@nestjs/common';
import { type AuthTokens, contract, type RecoveryCodes, type TotpSetup } from '@repo/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal } from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { clientInfo, isBrowser } from '../core/http/client-info.js';
import { RateLimit } from '../core/rate-limit/rate-limit.js';
import { PasswordsService } from '../passwords/passwords.service.js';
import { TokenDelivery } from '../sessions/token-delivery.js';
import { MfaService } from './mfa.service.js';
import { SignInService } from './sign-in.service.js';

const auth = contract.auth;
const mfa = contract.mfa;

@Controller()
export class MfaController {
  constructor(
    private readonly service: MfaService,
    private readonly signIns: SignInService,
    private readonly passwords: PasswordsService,
    private readonly delivery: TokenDelivery,
  ) {}

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

  @Handles(mfa.setupTotp)
  setup(@CurrentPrincipal() principal: Principal): Promise<TotpSetup> {
    return this.service.setup(principal.userId);
  }

  @Handles(mfa.enableTotp)
  enable(
    @CurrentPrincipal() principal: Principal,
    @Input() { body }: InputOf<typeof mfa.enableTotp>,
    @Req() request: FastifyRequest,
  ): Promise<RecoveryCodes> {
    return this.service.enable(principal.userId, body.code, clientInfo(request));
  }

  @Handles(mfa.disableTotp)
  async disable(
    @CurrentPrincipal() principal: Principal,
    @Input() { body }: InputOf<typeof mfa.disableTotp>,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.passwords.checkPassword(principal.userId, body.password);
    await this.service.disable(principal.userId, body.code, clientInfo(request));
  }
}
