import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type ApiKeyScope, type OrgRole } from '@repo/contracts';
import { ProblemError } from '../core/problem/problem.error.js';

/** Who is calling: a user through an access token, or through one of their API keys. */
export type Principal =
  | { kind: 'session'; userId: string; sessionId: string }
  | { kind: 'api-key'; userId: string; apiKeyId: string; scopes: ApiKeyScope[] };

/** The session of a principal on a route that takes access tokens only (no API keys). */
export function sessionIdOf(principal: Principal): string {
  if (principal.kind !== 'session') throw new Error('This route must not accept API keys');
  return principal.sessionId;
}

/** The authenticated caller of the request (set by the access guard). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ user: Principal }>().user,
);

/** The caller's membership of the organisation an organisation-scoped request acts in. */
export interface Membership {
  orgId: string;
  userId: string;
  role: OrgRole;
}

/**
 * The membership the access guard found for an organisation-scoped route (one whose endpoint
 * states a permission). Absent only when the organisation id is malformed, which the input
 * validation refuses before the handler runs.
 */
export const CurrentMembership = createParamDecorator(
  (_: unknown, context: ExecutionContext): Membership => {
    const { membership } = context.switchToHttp().getRequest<{ membership?: Membership }>();
    if (!membership) throw new ProblemError('not_found', 'No such organisation of yours.');
    return membership;
  },
);
