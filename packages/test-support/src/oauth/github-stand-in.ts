import { createHash, randomBytes, randomInt } from 'node:crypto';
import { formOf, listenOnLoopback, sendJson, sendRedirect } from './http-server.js';

/** A GitHub account as the stand-in shows it. */
export interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface GitHubStandIn {
  /** GITHUB_BASE_URL: /login/oauth/authorize and /login/oauth/access_token. */
  baseUrl: string;
  /** GITHUB_API_URL: /user and /user/emails. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** The accounts the next authorizations sign in as, in order; then fresh verified ones. */
  nextUsers: GitHubUser[];
  /** The next authorization is refused by the user (error=access_denied). */
  denyNext: boolean;
  /** The token endpoint answers this status (a 5xx: GitHub is down) while set. */
  tokenStatus: number | undefined;
  close(): Promise<void>;
}

/** A fresh GitHub account with a verified primary email. */
export function newGitHubUser(overrides: Partial<GitHubUser> = {}): GitHubUser {
  const id = randomInt(1, 2 ** 31);
  const login = `octo-${id}`;
  return {
    id,
    login,
    name: `Octo ${id}`,
    emails: [{ email: `${login}@example.test`, primary: true, verified: true }],
    ...overrides,
  };
}

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/**
 * A STAND-IN for GitHub, which cannot be reached from here: the endpoints a GitHub OAuth app
 * uses, shaped as GitHub's (authorize, access_token with PKCE, /user, /user/emails), with the
 * checks GitHub makes (client secret, single-use code, redirect_uri, code_verifier). The user
 * approves at once: there is no login page.
 */
export async function startGitHubStandIn(): Promise<GitHubStandIn> {
  const codes = new Map<
    string,
    { user: GitHubUser; redirectUri: string; challenge: string | null }
  >();
  const tokens = new Map<string, GitHubUser>();
  const standIn: GitHubStandIn = {
    baseUrl: '',
    apiUrl: '',
    clientId: 'github-client-id',
    clientSecret: `github-secret-${randomBytes(8).toString('hex')}`,
    nextUsers: [],
    denyNext: false,
    tokenStatus: undefined,
    close: () => Promise.resolve(),
  };

  const server = await listenOnLoopback((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /login/oauth/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      const back = new URL(redirectUri);
      if (url.searchParams.get('client_id') !== standIn.clientId) return sendJson(res, 404, {});
      if (standIn.denyNext) {
        standIn.denyNext = false;
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(10).toString('hex');
        codes.set(code, {
          user: standIn.nextUsers.shift() ?? newGitHubUser(),
          redirectUri,
          challenge: url.searchParams.get('code_challenge'),
        });
        back.searchParams.set('code', code);
      }
      const state = url.searchParams.get('state');
      if (state) back.searchParams.set('state', state);
      return sendRedirect(res, back.href);
    }
    if (route === 'POST /login/oauth/access_token') {
      void formOf(req).then((form) => {
        if (standIn.tokenStatus) return sendJson(res, standIn.tokenStatus, { message: 'down' });
        const code = form.get('code') ?? '';
        const grant = codes.get(code);
        codes.delete(code); // single use, as GitHub's
        const verifier = form.get('code_verifier');
        if (
          form.get('client_id') !== standIn.clientId ||
          form.get('client_secret') !== standIn.clientSecret
        )
          return sendJson(res, 200, { error: 'incorrect_client_credentials' });
        if (
          !grant ||
          grant.redirectUri !== form.get('redirect_uri') ||
          (grant.challenge !== null && (!verifier || s256(verifier) !== grant.challenge))
        )
          return sendJson(res, 200, { error: 'bad_verification_code' });
        const token = `gho_${randomBytes(16).toString('hex')}`;
        tokens.set(token, grant.user);
        return sendJson(res, 200, {
          access_token: token,
          token_type: 'bearer',
          scope: 'read:user,user:email',
        });
      });
      return;
    }
    const user = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (route === 'GET /api/user' || route === 'GET /api/user/emails') {
      if (!user) return sendJson(res, 401, { message: 'Bad credentials' });
      return sendJson(
        res,
        200,
        route === 'GET /api/user'
          ? { id: user.id, login: user.login, name: user.name }
          : user.emails,
      );
    }
    return sendJson(res, 404, { message: 'Not Found' });
  });

  standIn.baseUrl = server.origin;
  standIn.apiUrl = `${server.origin}/api`;
  standIn.close = server.close;
  return standIn;
}

/** The API's variables for GitHub sign-in through a stand-in. */
export const gitHubEnv = (standIn: GitHubStandIn): Record<string, string> => ({
  GITHUB_CLIENT_ID: standIn.clientId,
  GITHUB_CLIENT_SECRET: standIn.clientSecret,
  GITHUB_BASE_URL: standIn.baseUrl,
  GITHUB_API_URL: standIn.apiUrl,
});
