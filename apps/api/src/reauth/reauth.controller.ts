import { Controller, Req, Res } from '@nestjs/common';
import {
  contract,
  type PasskeyAuthenticationOptions,
  type Reauthenticated,
  type ReauthStatus,
} from '@repo/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal, sessionIdOf } from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { RateLimit } from '../core/rate-limit/rate-limit.js';
import { clientInfo, isBrowser } from '../core/http/client-info.js';
import { PasskeysService } from '../passkeys/passkeys.service.js';
import { TokenDelivery } from '../sessions/token-delivery.js';
import { ReauthService } from './reauth.service.js';

const { reauth } = contract;

@Controller()
export class ReauthController {
  constructor(
    private readonly service: ReauthService,
    private readonly passkeys: PasskeysService,
    private readonly delivery: TokenDelivery,
  ) {}

  @Handles(reauth.status)
  status(@CurrentPrincipal() principal: Principal): Promise<ReauthStatus> {
    return this.service.status(principal.userId, sessionIdOf(principal));
  }

  // Each try checks a password or a code: held like the other code checks.
  @RateLimit('code')
  @Handles(reauth.reauthenticate)
  async reauthenticate(
    @CurrentPrincipal() principal: Principal,
    @Input() { body }: InputOf<typeof reauth.reauthenticate>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Reauthenticated> {
    const { issued, until } = await this.service.reauthenticate(
      principal.userId,
      sessionIdOf(principal),
      body,
      clientInfo(request),
    );
    return { ...this.delivery.tokens(issued, reply, !isBrowser(request)), until };
  }

  @Handles(reauth.passkeyOptions)
  passkeyOptions(@CurrentPrincipal() principal: Principal): Promise<PasskeyAuthenticationOptions> {
    return this.passkeys.ownOptions(principal.userId, 'reauth');
  }

  @RateLimit('auth')
  @Handles(reauth.emailCode)
  emailCode(@CurrentPrincipal() principal: Principal): Promise<void> {
    return this.service.mailCode(principal.userId);
  }
}
