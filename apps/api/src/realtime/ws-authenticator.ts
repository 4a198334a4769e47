import { Injectable } from '@nestjs/common';
import { API_KEY_HEADER } from '@repo/contracts';
import { type IncomingHttpHeaders } from 'node:http';
import { AccessService } from '../access/access.service.js';
import { type Principal } from '../access/principal.js';

/** Who a socket speaks for, and until when (access tokens expire; API keys are checked once). */
export interface SocketIdentity {
  principal: Principal;
  /** Milliseconds since the epoch; undefined for API keys. */
  expiresAt?: number;
}

/** The same checks as HTTP requests, for access tokens sent in an `auth` frame or in upgrade headers. */
@Injectable()
export class WsAuthenticator {
  constructor(private readonly access: AccessService) {}

  async accessToken(token: string): Promise<SocketIdentity | null> {
    try {
      const claims = this.access.verifyAccessToken(token);
      const principal = await this.access.sessionPrincipal(claims);
      return principal ? { principal, expiresAt: claims.exp * 1000 } : null;
    } catch {
      return null;
    }
  }

  /**
   * For servers that authenticate the upgrade itself: `Authorization: Bearer` or `X-API-Key`.
   * `undefined` when neither header is present (the client must send an `auth` frame).
   */
  async headers(headers: IncomingHttpHeaders): Promise<SocketIdentity | null | undefined> {
    const authorization = headers.authorization;
    if (authorization) {
      const match = /^Bearer (\S+)$/i.exec(authorization);
      return match ? this.accessToken(match[1]!) : null;
    }
    const apiKey = headers[API_KEY_HEADER.toLowerCase()];
    if (typeof apiKey === 'string') {
      const principal = await this.access.apiKeyPrincipal(apiKey);
      return principal ? { principal } : null;
    }
    return undefined;
  }
}
