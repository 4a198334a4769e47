import { Injectable } from '@nestjs/common';
import { type OAuthProvider, type OAuthProviderId } from '@repo/contracts';
import { Config } from '../../core/config/config.js';
import { ProblemError } from '../../core/problem/problem.error.js';
import { GitHubSignIn } from './github-sign-in.js';
import { OidcSignIn } from './oidc-sign-in.js';
import { type SignInProvider } from './sign-in-provider.js';

/** The providers whose variables are set (env.schema.ts checks they are set all or none). */
function enabledProviders(config: Config): SignInProvider[] {
  const providers: SignInProvider[] = [];
  if (config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET) {
    providers.push(
      new GitHubSignIn({
        clientId: config.GITHUB_CLIENT_ID,
        clientSecret: config.GITHUB_CLIENT_SECRET,
        baseUrl: config.GITHUB_BASE_URL,
        apiUrl: config.GITHUB_API_URL,
      }),
    );
  }
  if (config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET) {
    providers.push(
      new OidcSignIn({
        id: 'google',
        name: 'Google',
        issuer: config.GOOGLE_ISSUER,
        clientId: config.GOOGLE_CLIENT_ID,
        clientSecret: config.GOOGLE_CLIENT_SECRET,
      }),
    );
  }
  if (
    config.OIDC_ISSUER &&
    config.OIDC_CLIENT_ID &&
    config.OIDC_CLIENT_SECRET &&
    config.OIDC_NAME
  ) {
    providers.push(
      new OidcSignIn({
        id: 'oidc',
        name: config.OIDC_NAME,
        issuer: config.OIDC_ISSUER,
        clientId: config.OIDC_CLIENT_ID,
        clientSecret: config.OIDC_CLIENT_SECRET,
      }),
    );
  }
  return providers;
}

@Injectable()
export class SignInProviders {
  private readonly byId: Map<OAuthProviderId, SignInProvider>;

  constructor(config: Config) {
    this.byId = new Map(enabledProviders(config).map((p) => [p.id, p]));
  }

  list(): OAuthProvider[] {
    return [...this.byId.values()].map(({ id, name }) => ({ id, name }));
  }

  /** An enabled provider; a 404 for one whose variables are not set. */
  get(id: OAuthProviderId): SignInProvider {
    const provider = this.byId.get(id);
    if (!provider) throw new ProblemError('not_found', `Sign-in with ${id} is not enabled.`);
    return provider;
  }

  /** A provider's name for a linked account, even one turned off since. */
  nameOf(id: OAuthProviderId): string {
    return this.byId.get(id)?.name ?? { github: 'GitHub', google: 'Google', oidc: 'OpenID' }[id];
  }
}
