import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { API_KEY_HEADER } from '@repo/contracts';
import { type IncomingHttpHeaders } from 'node:http';
import passport from 'passport';
import { AccessService } from './access.service.js';
import { type Principal } from './principal.js';
import { API_KEY_STRATEGY } from './strategies.js';

type Verified = (error: unknown, principal?: Principal | false | null) => void;

/**
 * Reads the X-API-Key header and hands the key to `verify`. It fails (rather than errs) when the
 * header is absent or the key unknown, so that AccessGuard can try the next strategy or answer
 * 401; an error of `verify` (the database is down) is passed on as an error, not as a 401.
 */
class HeaderApiKeyStrategy extends passport.Strategy {
  constructor(private readonly verify: (presented: string, done: Verified) => void) {
    super();
  }

  override authenticate(request: { headers: IncomingHttpHeaders }) {
    const presented = request.headers[API_KEY_HEADER.toLowerCase()];
    if (typeof presented !== 'string' || presented === '') return this.fail();
    this.verify(presented, (error, principal) => {
      if (error) return this.error(error);
      if (!principal) return this.fail();
      this.success(principal);
    });
  }
}

/** `X-API-Key: sk_…` on the endpoints whose access rule takes an API key. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(HeaderApiKeyStrategy, API_KEY_STRATEGY) {
  constructor(private readonly access: AccessService) {
    super();
  }

  async validate(presented: string): Promise<Principal | false> {
    return (await this.access.apiKeyPrincipal(presented)) ?? false;
  }
}
