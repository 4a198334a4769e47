import { Controller, Req } from '@nestjs/common';
import { contract, type RecoveryCodes, type TotpSetup } from '@repo/contracts';
import { type FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal } from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { clientInfo } from '../core/http/client-info.js';
import { PasswordsService } from '../passwords/passwords.service.js';
import { MfaService } from './mfa.service.js';

const mfa = contract.mfa;

@Controller()
export class MfaController {
  constructor(
    private readonly service: MfaService,
    private readonly passwords: PasswordsService,
  ) {}

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
