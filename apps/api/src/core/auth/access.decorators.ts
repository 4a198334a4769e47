import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { type Principal } from './principal.js';

export const ACCESS_KEY = 'access';
/** Who may call a route. Every route needs an access token unless it says otherwise. */
export type Access = 'public' | 'bearer' | 'bearer-or-api-key';

/** No authentication. */
export const Public = () => SetMetadata(ACCESS_KEY, 'public' satisfies Access);
/** An access token or an X-API-Key (with the `write` scope for anything but GET). */
export const AllowApiKey = () => SetMetadata(ACCESS_KEY, 'bearer-or-api-key' satisfies Access);

/** The authenticated caller of the request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ user: Principal }>().user,
);
