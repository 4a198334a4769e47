import { Controller, Req } from '@nestjs/common';
import { contract, type Passkey, type PasskeyRegistrationOptions } from '@repo/contracts';
import { type FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal } from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { clientInfo } from '../core/http/client-info.js';
import { Input, type InputOf } from '../core/http/input.js';
import { PasskeysService } from './passkeys.service.js';

const passkeys = contract.passkeys;

/** The signed-in user's passkeys: add, list, rename, delete. */
@Controller()
export class PasskeysController {
  constructor(private readonly service: PasskeysService) {}

  @Handles(passkeys.registrationOptions)
  registrationOptions(
    @CurrentPrincipal() principal: Principal,
  ): Promise<PasskeyRegistrationOptions> {
    return this.service.registrationOptions(principal.userId);
  }

  @Handles(passkeys.add)
  add(
    @CurrentPrincipal() principal: Principal,
    @Input() { body }: InputOf<typeof passkeys.add>,
    @Req() request: FastifyRequest,
  ): Promise<Passkey> {
    return this.service.add(principal.userId, body, clientInfo(request));
  }

  @Handles(passkeys.list)
  list(@CurrentPrincipal() principal: Principal): Promise<Passkey[]> {
    return this.service.list(principal.userId);
  }

  @Handles(passkeys.rename)
  rename(
    @CurrentPrincipal() principal: Principal,
    @Input() { params, body }: InputOf<typeof passkeys.rename>,
  ): Promise<Passkey> {
    return this.service.rename(principal.userId, params.id, body.name);
  }

  @Handles(passkeys.remove)
  remove(
    @CurrentPrincipal() principal: Principal,
    @Input() { params }: InputOf<typeof passkeys.remove>,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.service.remove(principal.userId, params.id, clientInfo(request));
  }
}
