import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { API_KEY_HEADER, can, type OrgPermission, scopesGrant } from '@repo/contracts';
import { endpointOf } from '../core/http/endpoint-of.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { AccessService } from './access.service.js';
import { type Membership, type Principal } from './principal.js';
import { API_KEY_STRATEGY, JWT_STRATEGY } from './strategies.js';
import { isUuid } from '../core/http/uuid.js';

/** Turns passport's outcome into the principal, or into the precise 401/403 problem. */
function principalOrProblem(
  error: unknown,
  principal: Principal | false,
  info: unknown,
  context: ExecutionContext,
): Principal {
  // Errors from strategies are ProblemErrors (or database failures): pass them on as they are.
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  if (error) throw error;
  if (!principal) {
    const headers = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown> }>().headers;
    const infos = [info].flat();
    if (infos.some((i) => (i as Error | undefined)?.name === 'TokenExpiredError')) {
      throw new ProblemError('token_expired', 'The access token has expired: refresh it.');
    }
    if (headers.authorization)
      throw new ProblemError('token_invalid', 'The access token is not valid.');
    if (headers[API_KEY_HEADER.toLowerCase()]) {
      throw new ProblemError('api_key_invalid', 'The API key is not valid, or not accepted here.');
    }
    throw new ProblemError('unauthorized', 'Send an access token: Authorization: Bearer <token>.');
  }
  if (principal.kind !== 'api-key') return principal;
  // Only endpoints whose access rule names a scope run the API key strategy at all.
  const access = endpointOf(context)?.access;
  if (typeof access !== 'object') {
    throw new ProblemError('api_key_invalid', 'The API key is not valid, or not accepted here.');
  }
  if (!scopesGrant(principal.scopes, access.apiKey)) {
    throw new ProblemError('insufficient_scope', `This API key lacks the ${access.apiKey} scope.`);
  }
  return principal;
}

class BearerGuard extends AuthGuard(JWT_STRATEGY) {
  override handleRequest = principalOrProblem as never;
}

class BearerOrApiKeyGuard extends AuthGuard([JWT_STRATEGY, API_KEY_STRATEGY]) {
  override handleRequest = principalOrProblem as never;
}

interface GuardedRequest {
  user: Principal;
  params: Record<string, string | undefined>;
  membership?: Membership;
}

/**
 * The global guard: applies the access rule of the endpoint a route is bound to (see Handles),
 * then, for an organisation-scoped one, its permission: the caller's role in the organisation of
 * the path must grant it. A route bound to no endpoint needs an access token.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly bearer = new BearerGuard();
  private readonly bearerOrApiKey = new BearerOrApiKeyGuard();

  constructor(private readonly access: AccessService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const endpoint = endpointOf(context);
    const access = endpoint?.access ?? 'session';
    // The refresh-cookie routes authenticate in their handler (and pass the CSRF guard).
    if (access === 'public' || access === 'refresh-cookie') return true;
    await (access === 'session' ? this.bearer : this.bearerOrApiKey).canActivate(context);
    if (endpoint?.permission) await this.checkPermission(context, endpoint.permission);
    return true;
  }

  /**
   * A non-member learns nothing of the organisation (404, as for one that does not exist); a
   * member whose role lacks the permission gets 403. The membership found is the request's
   * (CurrentMembership), for the handler to act within.
   */
  private async checkPermission(context: ExecutionContext, permission: OrgPermission) {
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const orgId = request.params.orgId;
    // A malformed id is the input validation's to refuse (400), before any handler runs.
    if (!orgId || !isUuid(orgId)) return;
    const userId = request.user.userId;
    const role = await this.access.memberRole(orgId, userId);
    if (!role) throw new ProblemError('not_found', 'No such organisation of yours.');
    if (!can(role, permission)) {
      throw new ProblemError('forbidden', `Your role (${role}) does not allow ${permission}.`);
    }
    request.membership = { orgId, userId, role };
  }
}
