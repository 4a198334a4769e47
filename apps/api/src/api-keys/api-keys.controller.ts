import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { type ApiKey, type CreatedApiKey } from '@repo/contracts';
import { CurrentPrincipal } from '../core/auth/access.decorators.js';
import { type Principal } from '../core/auth/principal.js';
import { CreateApiKeyDto } from './api-keys.dto.js';
import { ApiKeysService } from './api-keys.service.js';

/** Access tokens only: a leaked API key cannot mint or list keys. */
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKey> {
    return this.apiKeys.create(principal.userId, body);
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<ApiKey[]> {
    return this.apiKeys.list(principal.userId);
  }

  @HttpCode(204)
  @Delete(':id')
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    return this.apiKeys.revoke(principal.userId, id);
  }
}
