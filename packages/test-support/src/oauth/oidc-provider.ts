import { type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import { Provider } from 'oidc-provider';
import { freePort } from '../free-port.js';
import { formOf, listenOnLoopback } from './http-server.js';

/** What the provider says of an account (its OpenID Connect claims). */
export interface OidcAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface OidcProviderOptions {
  /** The port to listen on (so the issuer URL can be known before the provider starts). */
  port?: number;
  clients: OidcClient[];
}

export interface RunningOidcProvider {
  issuer: string;
  /** Accounts by login name; any other login signs in with `<login>@example.test`, verified. */
  accounts: Map<string, OidcAccount>;
  close(): Promise<void>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The login page of an interaction: any login name, any password; or cancel (access_denied). */
const loginPage = (uid: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test ID: sign in</title></head>
<body>
  <h1>Test ID</h1>
  <form method="post" action="/interaction/${escape(uid)}">
    <label>Login <input name="login" autocomplete="username" required></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit" name="action" value="login">Sign in</button>
    <button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
  </form>
</body></html>`;

/**
 * A real OpenID Provider (`oidc-provider`, OpenID Certified) on loopback, for tests: discovery,
 * JWKS, authorization code flow with PKCE, signed ID tokens, userinfo. Its interactions are a
 * plain login page (any password) and consent given at once; "Cancel" answers access_denied.
 */
export async function startOidcProvider(
  options: OidcProviderOptions,
): Promise<RunningOidcProvider> {
  const accounts = new Map<string, OidcAccount>();
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test-key' };
  const issuer = `http://127.0.0.1:${options.port ?? (await freePort())}`;

  const provider = new Provider(issuer, {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-cookie-key-of-the-oidc-provider'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, i) => `/interaction/${i.uid}` },
    pkce: { required: () => true },
    // Said outright, so that the provider does not warn about each default.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    renderError: (ctx, out) => {
      ctx.type = 'text/plain';
      ctx.body = Object.entries(out)
        .map(([key, value]) => `${key}: ${String(value)}`)
        .join('\n');
    },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({
        sub,
        ...(accounts.get(sub) ?? {
          email: sub.includes('@') ? sub : `${sub}@example.test`,
          email_verified: true,
          name: sub,
        }),
      }),
    }),
  });

  const interaction = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res);
    const { uid, prompt, params, session } = details;
    if (req.method === 'POST') {
      const form = await formOf(req);
      const result =
        form.get('action') === 'cancel'
          ? { error: 'access_denied', error_description: 'The user cancelled' }
          : { login: { accountId: form.get('login') ?? '' } };
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      return;
    }
    if (prompt.name === 'login') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(uid));
      return;
    }
    // Consent: granted at once, for what the client asked.
    const grant = details.grantId
      ? (await provider.Grant.find(details.grantId))!
      : new provider.Grant({ accountId: session!.accountId, clientId: params.client_id as string });
    const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: true },
    );
  };

  const server = await listenOnLoopback(
    (req, res) => {
      if (req.url?.startsWith('/interaction/')) {
        interaction(req, res).catch((error: unknown) => {
          res.writeHead(400, { 'content-type': 'text/plain' });
          res.end(String(error));
        });
        return;
      }
      void provider.callback()(req, res);
    },
    Number(new URL(issuer).port),
  );

  // Its own complaints about a development setup are noise in test output.
  provider.on('server_error', (_ctx, error) => console.error('oidc-provider:', error));

  return { issuer, accounts, close: server.close };
}
