import { Controller, Req } from '@nestjs/common';
import { contract, type User } from '@repo/contracts';
import { type FastifyRequest } from 'fastify';
import { clientInfo } from '../core/http/client-info.js';
import { CurrentPrincipal, type Principal } from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { RateLimit } from '../core/rate-limit/rate-limit.js';
import { EmailChangeService } from './email-change.service.js';

const account = contract.account;

@Controller()
export class EmailChangeController {
  constructor(private readonly emailChange: EmailChangeService) {}

  @RateLimit('auth')
  @Handles(account.requestEmailChange)
  request(
    @CurrentPrincipal() principal: Principal,
    @Input() { body }: InputOf<typeof account.requestEmailChange>,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.emailChange.request(principal.userId, body.email, clientInfo(request));
  }

  @RateLimit('auth')
  @Handles(account.confirmEmailChange)
  confirm(
    @Input() { body }: InputOf<typeof account.confirmEmailChange>,
    @Req() request: FastifyRequest,
  ): Promise<User> {
    return this.emailChange.confirm(body.token, clientInfo(request));
  }

  @RateLimit('auth')
  @Handles(account.undoEmailChange)
  undo(
    @Input() { body }: InputOf<typeof account.undoEmailChange>,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.emailChange.undo(body.token, clientInfo(request));
  }
}
