import { z } from 'zod';

// Who may call an endpoint: the rule each endpoint states (EndpointSpec.access), and the API key
// scopes it can name. Below the endpoints and the API keys feature, which both use it.

/** `read`: GET requests; `write`: everything else too. */
export const API_KEY_SCOPES = ['read', 'write'] as const;
export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;

/** Whether a key with these scopes may call an endpoint that asks for `needed`: write implies read. */
export const scopesGrant = (scopes: readonly ApiKeyScope[], needed: ApiKeyScope): boolean =>
  scopes.includes(needed) || (needed === 'read' && scopes.includes('write'));

/** The header API keys are sent in. */
export const API_KEY_HEADER = 'X-API-Key';

/**
 * Who may call an endpoint.
 * - `public`: anyone.
 * - `session`: an access token (`Authorization: Bearer`).
 * - `{ apiKey: scope }`: an access token, or an `X-API-Key` holding that scope.
 * - `refresh-cookie`: the refresh token (httpOnly cookie, or the body for native clients).
 */
export type Access = 'public' | 'session' | 'refresh-cookie' | { apiKey: ApiKeyScope };
