import { type OAuthProviderId } from '@repo/contracts';
import {
  allowInsecureRequests,
  authorizationCodeGrant,
  buildAuthorizationUrl,
  calculatePKCECodeChallenge,
  ClientSecretBasic,
  type Configuration,
  discovery,
  fetchUserInfo,
} from 'openid-client';
import {
  type FlowSecrets,
  PROVIDER_TIMEOUT_S,
  type ProviderProfile,
  type SignInProvider,
} from './sign-in-provider.js';

export interface OidcSettings {
  id: OAuthProviderId;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);

/**
 * An OpenID Connect provider (Google, or any other), configured through its discovery document:
 * authorization code flow with PKCE, state and nonce; openid-client checks the ID token
 * (signature from the provider's JWKS, iss, aud, exp, nonce).
 */
export class OidcSignIn implements SignInProvider {
  readonly id: OAuthProviderId;
  readonly name: string;
  readonly usesNonce = true;
  private configuration?: Promise<Configuration>;

  constructor(private readonly settings: OidcSettings) {
    this.id = settings.id;
    this.name = settings.name;
  }

  /** Discovered on first use, then kept; a failed discovery is tried again next time. */
  private config(): Promise<Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    this.configuration ??= discovery(
      new URL(issuer),
      clientId,
      undefined,
      ClientSecretBasic(clientSecret),
      {
        // Plain http only reaches here outside production (a provider on this machine).
        execute: issuer.startsWith('http:') ? [allowInsecureRequests] : [],
        timeout: PROVIDER_TIMEOUT_S,
      },
    ).catch((error: unknown) => {
      this.configuration = undefined;
      throw error;
    });
    return this.configuration;
  }

  async authorizationUrl(redirectUri: string, secrets: FlowSecrets): Promise<URL> {
    return buildAuthorizationUrl(await this.config(), {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      state: secrets.state,
      nonce: secrets.nonce!,
      code_challenge: await calculatePKCECodeChallenge(secrets.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  async profile(callbackUrl: URL, secrets: FlowSecrets): Promise<ProviderProfile> {
    const config = await this.config();
    const tokens = await authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: secrets.codeVerifier,
      expectedState: secrets.state,
      expectedNonce: secrets.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims()!;
    // Some providers put the email in the ID token (Google), others only behind userinfo.
    const claims =
      idToken.email === undefined
        ? await fetchUserInfo(config, tokens.access_token, idToken.sub)
        : idToken;
    return {
      subject: idToken.sub,
      email: text(claims.email)?.toLowerCase() ?? null,
      // A few providers send the boolean as a string.
      emailVerified: claims.email_verified === true || claims.email_verified === 'true',
      name: text(claims.name) ?? text(claims.preferred_username),
    };
  }
}
