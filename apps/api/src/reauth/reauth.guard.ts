import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { type Principal } from '../access/principal.js';
import { endpointOf } from '../core/http/endpoint-of.js';
import { ReauthService } from './reauth.service.js';

/**
 * Holds every endpoint the contract marks `reauth` until the session has proved itself within
 * the window. A global guard after the access guard (the caller is known) and before the route's
 * input check: a session without a fresh proof learns nothing about the change it tried.
 */
@Injectable()
export class ReauthGuard implements CanActivate {
  constructor(private readonly reauth: ReauthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || !endpointOf(context)?.reauth) return true;
    const principal = context.switchToHttp().getRequest<{ user: Principal }>().user;
    await this.reauth.require(
      principal.userId,
      principal.kind === 'session' ? principal.sessionId : undefined,
    );
    return true;
  }
}
