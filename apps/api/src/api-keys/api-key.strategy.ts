import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { API_KEY_HEADER } from '@repo/contracts';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { type Principal } from '../core/auth/principal.js';
import { ApiKeysService } from './api-keys.service.js';

/** `X-API-Key: sk_…` on the endpoints whose access takes an API key. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, 'api-key') {
  constructor(private readonly apiKeys: ApiKeysService) {
    super({ header: API_KEY_HEADER, prefix: '' }, false);
  }

  async validate(presented: string): Promise<Principal | false> {
    return (await this.apiKeys.authenticate(presented)) ?? false;
  }
}
