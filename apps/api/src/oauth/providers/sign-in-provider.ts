import { type OAuthError, type OAuthProviderId } from '@repo/contracts';
import { AuthorizationResponseError } from 'openid-client';

/** Who the provider says the user is. */
export interface ProviderProfile {
  /** The provider's stable id of the account: what an identity is keyed on. */
  subject: string;
  email: string | null;
  /** Whether the provider vouches for the email (GitHub: a verified primary; OIDC: email_verified). */
  emailVerified: boolean;
  name: string | null;
}

/** The per-flow secrets the authorization request carries and the callback checks. */
export interface FlowSecrets {
  state: string;
  /** PKCE: the challenge goes out, the verifier only to the token endpoint. */
  codeVerifier: string;
  /** OpenID Connect only: bound into the ID token. */
  nonce?: string;
}

/** A sign-in provider: where to send the browser, and what its answer says. */
export interface SignInProvider {
  readonly id: OAuthProviderId;
  /** Its button's label. */
  readonly name: string;
  /** Whether its flows use a nonce (OpenID Connect). */
  readonly usesNonce: boolean;
  authorizationUrl(redirectUri: string, secrets: FlowSecrets): Promise<URL>;
  /** Exchanges the code of the callback URL (checked against the secrets) for the profile. */
  profile(callbackUrl: URL, secrets: FlowSecrets): Promise<ProviderProfile>;
}

/** The provider could not be reached, timed out or answered with a server error. */
export class ProviderUnavailableError extends Error {
  override name = 'ProviderUnavailableError';
}

/** How long a request to a provider may take. */
export const PROVIDER_TIMEOUT_S = 10;

const statusOf = (value: unknown): number | undefined => {
  if (value instanceof Response) return value.status;
  const status = (value as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
};

/**
 * What a failure of a provider exchange means for the user: the provider is down (network,
 * timeout, 5xx), the user said no, or its answer failed a check (a replayed code, a forged ID token).
 */
export function providerErrorCode(error: unknown): OAuthError {
  if (error instanceof AuthorizationResponseError)
    return error.error === 'access_denied' ? 'access_denied' : 'provider_error';
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof ProviderUnavailableError) return 'provider_unavailable';
    // fetch's network failures (refused, reset, DNS) are this TypeError; timeouts abort.
    if (e instanceof TypeError && e.message === 'fetch failed') return 'provider_unavailable';
    if (e instanceof DOMException && ['TimeoutError', 'AbortError'].includes(e.name))
      return 'provider_unavailable';
    const status = statusOf(e);
    if (status !== undefined && status >= 500) return 'provider_unavailable';
    e = (e as { cause?: unknown }).cause;
  }
  return 'provider_error';
}
