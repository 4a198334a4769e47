import { Controller, Req } from '@nestjs/common';
import { contract, type Session } from '@repo/contracts';
import { type FastifyRequest } from 'fastify';
import { CurrentPrincipal, type Principal, sessionIdOf } from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { clientInfo } from '../core/http/client-info.js';
import { SessionsService } from './sessions.service.js';

const sessions = contract.sessions;

@Controller()
export class SessionsController {
  constructor(private readonly service: SessionsService) {}

  @Handles(sessions.list)
  list(@CurrentPrincipal() principal: Principal): Promise<Session[]> {
    return this.service.list(principal.userId, sessionIdOf(principal));
  }

  @Handles(sessions.revoke)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Input() { params }: InputOf<typeof sessions.revoke>,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    if (!(await this.service.revokeOwn(params.id, principal.userId, clientInfo(request)))) {
      throw new ProblemError('not_found', 'No such live session of yours.');
    }
  }
}
