import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type ApiKeyScope } from '@repo/contracts';

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
