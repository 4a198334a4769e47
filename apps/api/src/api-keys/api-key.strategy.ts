import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { API_KEY_HEADER } from '@repo/contracts';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { type Principal } from '../core/auth/principal.js';
import { API_KEY_STRATEGY } from '../core/auth/strategies.js';
import { ApiKeysService } from './api-keys.service.js';

/** `X-API-Key: sk_…` on routes marked @AllowApiKey(). */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, API_KEY_STRATEGY) {
  constructor(private readonly apiKeys: ApiKeysService) {
    super({ header: API_KEY_HEADER, prefix: '' }, false);
  }

  async validate(presented: string): Promise<Principal | false> {
    return (await this.apiKeys.authenticate(presented)) ?? false;
  }
}
