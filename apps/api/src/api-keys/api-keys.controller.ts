import { Controller, Req } from '@nestjs/common';
import { type ApiKey, contract, type CreatedApiKey } from '@repo/contracts';
import { type FastifyRequest } from 'fastify';
import { clientInfo } from '../core/http/client-info.js';
import { CurrentPrincipal, type Principal } from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { ApiKeysService } from './api-keys.service.js';

const apiKeys = contract.apiKeys;

@Controller()
export class ApiKeysController {
  constructor(private readonly service: ApiKeysService) {}

  @Handles(apiKeys.create)
  create(
    @CurrentPrincipal() principal: Principal,
    @Input() { body }: InputOf<typeof apiKeys.create>,
    @Req() request: FastifyRequest,
  ): Promise<CreatedApiKey> {
    return this.service.create(principal.userId, body, clientInfo(request));
  }

  @Handles(apiKeys.list)
  list(@CurrentPrincipal() principal: Principal): Promise<ApiKey[]> {
    return this.service.list(principal.userId);
  }

  @Handles(apiKeys.revoke)
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Input() { params }: InputOf<typeof apiKeys.revoke>,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.service.revoke(principal.userId, params.id, clientInfo(request));
  }
}
