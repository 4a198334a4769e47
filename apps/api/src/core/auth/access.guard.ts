import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { API_KEY_HEADER } from '@repo/contracts';
import { ProblemError } from '../problem/problem.error.js';
import { ACCESS_KEY, type Access } from './access.decorators.js';
import { type Principal } from './principal.js';
import { API_KEY_STRATEGY, JWT_STRATEGY } from './strategies.js';

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
  const method = context.switchToHttp().getRequest<{ method: string }>().method;
  const reads = method === 'GET' || method === 'HEAD';
  if (principal.kind === 'api-key' && !reads && !principal.scopes.includes('write')) {
    throw new ProblemError(
      'insufficient_scope',
      'This API key may only read (it lacks the write scope).',
    );
  }
  return principal;
}

class BearerGuard extends AuthGuard(JWT_STRATEGY) {
  override handleRequest = principalOrProblem as never;
}

class BearerOrApiKeyGuard extends AuthGuard([JWT_STRATEGY, API_KEY_STRATEGY]) {
  override handleRequest = principalOrProblem as never;
}

/** The global guard: every route needs an access token unless marked @Public() or @AllowApiKey(). */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly bearer = new BearerGuard();
  private readonly bearerOrApiKey = new BearerOrApiKeyGuard();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext) {
    if (context.getType() !== 'http') return true;
    const access =
      this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'bearer';
    if (access === 'public') return true;
    return (access === 'bearer-or-api-key' ? this.bearerOrApiKey : this.bearer).canActivate(
      context,
    );
  }
}
