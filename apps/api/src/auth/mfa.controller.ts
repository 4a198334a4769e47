import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { type RecoveryCodes, type TotpSetup } from '@repo/contracts';
import { CurrentPrincipal } from '../core/auth/access.decorators.js';
import { type Principal } from '../core/auth/principal.js';
import { TotpCodeDto, TotpDisableDto } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { MfaService } from './mfa.service.js';

@Controller('auth/mfa/totp')
export class MfaController {
  constructor(
    private readonly mfa: MfaService,
    private readonly auth: AuthService,
  ) {}

  @HttpCode(200)
  @Post('setup')
  setup(@CurrentPrincipal() principal: Principal): Promise<TotpSetup> {
    return this.mfa.setup(principal.userId);
  }

  @HttpCode(200)
  @Post('enable')
  enable(
    @CurrentPrincipal() principal: Principal,
    @Body() body: TotpCodeDto,
  ): Promise<RecoveryCodes> {
    return this.mfa.enable(principal.userId, body.code);
  }

  @HttpCode(204)
  @Post('disable')
  async disable(
    @CurrentPrincipal() principal: Principal,
    @Body() body: TotpDisableDto,
  ): Promise<void> {
    await this.auth.checkPassword(principal.userId, body.password);
    await this.mfa.disable(principal.userId, body.code);
  }
}
