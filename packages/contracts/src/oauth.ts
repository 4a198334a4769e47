import { z } from 'zod';
import { API_PREFIX, defineContract, defineEndpoints } from './endpoint.js';

/** The sign-in providers the API knows; each is on when its variables are set. */
export const oauthProviderIdSchema = z.enum(['github', 'google', 'oidc']);
export type OAuthProviderId = z.infer<typeof oauthProviderIdSchema>;

const providerParams = z.object({ provider: oauthProviderIdSchema }).strict();

export const oauthProviderSchema = z
  .object({
    id: oauthProviderIdSchema,
    name: z.string().describe('The label of its button: "Continue with <name>"'),
  })
  .meta({ id: 'OAuthProvider' });
export type OAuthProvider = z.infer<typeof oauthProviderSchema>;
export const oauthProviderListSchema = z
  .array(oauthProviderSchema)
  .meta({ id: 'OAuthProviderList' });

export const linkedAccountSchema = z
  .object({
    id: z.uuid(),
    provider: oauthProviderIdSchema,
    providerName: z.string(),
    email: z.string().nullable().describe('The email the provider gave when it was linked'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'LinkedAccount' });
export type LinkedAccount = z.infer<typeof linkedAccountSchema>;
export const linkedAccountListSchema = z
  .array(linkedAccountSchema)
  .meta({ id: 'LinkedAccountList' });

export const oauthStartQuerySchema = z
  .object({
    next: z
      .string()
      .max(256)
      .optional()
      .describe('A path of the web app to land on; anything else lands on the dashboard'),
  })
  .strict()
  .meta({ id: 'OAuthStartQuery' });

export const oauthRedirectSchema = z
  .object({ url: z.url().describe("The provider's authorization page: navigate the tab there") })
  .meta({ id: 'OAuthRedirect' });
export type OAuthRedirect = z.infer<typeof oauthRedirectSchema>;

/**
 * Why a provider sign-in landed back on the login page (`/login?oauth_error=<code>`): codes, so
 * the URL carries no free text.
 */
export const OAUTH_ERRORS = [
  /** The user refused at the provider. */
  'access_denied',
  /** No flow cookie, or its `state` is not the one that came back (a forged or mixed-up request). */
  'state_mismatch',
  /** The flow was started more than 10 minutes ago. */
  'flow_expired',
  /** The provider could not be reached, or answered with a server error. */
  'provider_unavailable',
  /** The provider's answer did not pass the checks (code, ID token, nonce...). */
  'provider_error',
  /** The provider gave no email address. */
  'email_missing',
  /** The provider has not verified this email, and an account with it exists. */
  'email_unverified',
  /** The account needs its email confirmed first (the link was mailed). */
  'email_not_verified',
  /** An account with this email exists: log in to link the provider (not an error as such). */
  'account_exists',
  /** This provider identity is linked to another account. */
  'identity_taken',
  /** Something failed on our side; trying again may work. */
  'sign_in_failed',
] as const;
export type OAuthError = (typeof OAUTH_ERRORS)[number];

/** The path of a provider's callback: the redirect URI to register is the API's origin + this. */
export const oauthCallbackPath = (provider: OAuthProviderId) =>
  `${API_PREFIX}/auth/oauth/${provider}/callback`;

/** Sign-in with GitHub, Google or an OpenID Connect provider, and the accounts linked to a user. */
const oauthEndpoints = defineEndpoints({
  providers: {
    method: 'GET',
    path: '/auth/oauth/providers',
    summary: 'The sign-in providers this API has on',
    access: 'public',
    response: oauthProviderListSchema,
  },
  start: {
    method: 'GET',
    path: '/auth/oauth/:provider/start',
    summary: 'Browser navigation: redirects to the provider (sets the short-lived flow cookie)',
    access: 'public',
    params: providerParams,
    query: oauthStartQuerySchema,
    status: 302,
    problems: ['not_found'],
  },
  callback: {
    method: 'GET',
    path: '/auth/oauth/:provider/callback',
    summary:
      'Where the provider sends the browser back (code, state, or error): redirects to the web app, signed in or with ?oauth_error=<code>',
    access: 'public',
    params: providerParams,
    status: 302,
    problems: ['not_found'],
  },
  link: {
    method: 'POST',
    path: '/auth/oauth/:provider/link',
    summary: 'Start linking a provider to this account: the URL to navigate the tab to',
    access: 'session',
    params: providerParams,
    response: oauthRedirectSchema,
    problems: ['not_found'],
    reauth: true,
  },
  linkPending: {
    method: 'POST',
    path: '/auth/oauth/link-pending',
    summary: 'Link the provider identity that met this account’s email at sign-in',
    access: 'session',
    response: linkedAccountSchema,
    problems: ['not_found', 'conflict'],
  },
  accounts: {
    method: 'GET',
    path: '/auth/linked-accounts',
    summary: 'The provider accounts linked to this account',
    access: 'session',
    response: linkedAccountListSchema,
  },
  unlink: {
    method: 'DELETE',
    path: '/auth/linked-accounts/:id',
    summary: 'Unlink a provider account (never the last way to sign in)',
    access: 'session',
    params: z.object({ id: z.uuid() }).strict(),
    status: 204,
    problems: ['not_found', 'conflict'],
    reauth: true,
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const oauthContract = defineContract(
  { oauth: oauthEndpoints },
  {
    oauth:
      'Sign-in with GitHub, Google or an OpenID Connect provider, and the accounts linked to the user.',
  },
);
