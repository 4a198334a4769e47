import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import { type Session } from '@repo/contracts';
import { CurrentPrincipal } from '../core/auth/access.decorators.js';
import { type Principal, sessionIdOf } from '../core/auth/principal.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { SessionsService } from './sessions.service.js';

@Controller('auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<Session[]> {
    return this.sessions.list(principal.userId, sessionIdOf(principal));
  }

  @HttpCode(204)
  @Delete(':id')
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    if (!(await this.sessions.revoke(id, principal.userId))) {
      throw new ProblemError('not_found', 'No such live session of yours.');
    }
  }
}
