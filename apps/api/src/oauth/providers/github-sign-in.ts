import {
  allowInsecureRequests,
  authorizationCodeGrant,
  buildAuthorizationUrl,
  calculatePKCECodeChallenge,
  ClientSecretPost,
  Configuration,
} from 'openid-client';
import { z } from 'zod';
import {
  type FlowSecrets,
  PROVIDER_TIMEOUT_S,
  type ProviderProfile,
  ProviderUnavailableError,
  type SignInProvider,
} from './sign-in-provider.js';

export interface GitHubSettings {
  clientId: string;
  clientSecret: string;
  /** https://github.com: the authorize and token endpoints are below it. */
  baseUrl: string;
  /** https://api.github.com */
  apiUrl: string;
}

const githubUser = z.object({
  id: z.number().int(),
  login: z.string(),
  name: z.string().nullable().optional(),
});
const githubEmails = z.array(
  z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }),
);

/**
 * GitHub: OAuth 2.0 (no OpenID Connect) with PKCE and state; who the user is comes from its REST
 * API: /user for the stable numeric id, /user/emails for the primary email and whether GitHub
 * verified it.
 */
export class GitHubSignIn implements SignInProvider {
  readonly id = 'github' as const;
  readonly name = 'GitHub';
  readonly usesNonce = false;
  private readonly config: Configuration;

  constructor(private readonly settings: GitHubSettings) {
    const base = settings.baseUrl.replace(/\/$/, '');
    this.config = new Configuration(
      {
        issuer: base,
        authorization_endpoint: `${base}/login/oauth/authorize`,
        token_endpoint: `${base}/login/oauth/access_token`,
      },
      settings.clientId,
      undefined,
      ClientSecretPost(settings.clientSecret),
    );
    this.config.timeout = PROVIDER_TIMEOUT_S;
    // Plain http only reaches here outside production (a stand-in on this machine).
    if (base.startsWith('http:')) allowInsecureRequests(this.config);
  }

  async authorizationUrl(redirectUri: string, secrets: FlowSecrets): Promise<URL> {
    return buildAuthorizationUrl(this.config, {
      redirect_uri: redirectUri,
      scope: 'read:user user:email',
      state: secrets.state,
      code_challenge: await calculatePKCECodeChallenge(secrets.codeVerifier),
      code_challenge_method: 'S256',
      allow_signup: 'true',
    });
  }

  async profile(callbackUrl: URL, secrets: FlowSecrets): Promise<ProviderProfile> {
    const tokens = await authorizationCodeGrant(this.config, callbackUrl, {
      pkceCodeVerifier: secrets.codeVerifier,
      expectedState: secrets.state,
    });
    const [user, emails] = await Promise.all([
      this.get('/user', tokens.access_token, githubUser),
      this.get('/user/emails', tokens.access_token, githubEmails),
    ]);
    const primary = emails.find((e) => e.primary);
    return {
      subject: String(user.id),
      email: primary?.email.toLowerCase() ?? null,
      emailVerified: primary?.verified === true,
      name: user.name?.trim() || user.login,
    };
  }

  private async get<T>(path: string, accessToken: string, schema: z.ZodType<T>): Promise<T> {
    const response = await fetch(`${this.settings.apiUrl.replace(/\/$/, '')}${path}`, {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${accessToken}`,
        'user-agent': 'fullstack-starter',
        'x-github-api-version': '2022-11-28',
      },
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_S * 1000),
    });
    if (response.status >= 500)
      throw new ProviderUnavailableError(`GitHub ${path} answered ${response.status}`);
    if (!response.ok) throw new Error(`GitHub ${path} answered ${response.status}`);
    return schema.parse(await response.json());
  }
}
