import { Controller, Res } from '@nestjs/common';
import { type AccountExport, contract } from '@repo/contracts';
import { type FastifyReply } from 'fastify';
import { clearRefreshCookie } from '../sessions/refresh-cookie.js';
import { CurrentPrincipal, type Principal } from '../access/principal.js';
import { Config } from '../core/config/config.js';
import { Handles } from '../core/http/handles.js';
import { AccountDeletionService } from './account-deletion.service.js';
import { AccountExportService } from './account-export.service.js';

const account = contract.account;

@Controller()
export class AccountController {
  constructor(
    private readonly exporter: AccountExportService,
    private readonly deletion: AccountDeletionService,
    private readonly config: Config,
  ) {}

  @Handles(account.export)
  export(@CurrentPrincipal() principal: Principal): Promise<AccountExport> {
    return this.exporter.export(principal.userId);
  }

  @Handles(account.delete)
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.deletion.delete(principal.userId);
    clearRefreshCookie(reply, this.config);
  }
}
