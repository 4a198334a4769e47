import { type OAuthError, OAUTH_ERRORS } from '@repo/contracts';

/** What each code of `?oauth_error=` tells the visitor; `provider` is the provider's name. */
const MESSAGES: Record<OAuthError, (provider: string) => string> = {
  access_denied: (p) => `You did not allow the sign-in at ${p}. Nothing was changed.`,
  state_mismatch: (p) =>
    `This ${p} sign-in did not start in this browser (or was already used). Start it again from here.`,
  flow_expired: (p) => `The ${p} sign-in took too long. Start it again.`,
  provider_unavailable: (p) => `${p} cannot be reached right now. Try again in a moment.`,
  provider_error: (p) => `${p}'s answer could not be verified, so it was not used. Try again.`,
  email_missing: (p) => `${p} did not share an email address, which an account needs.`,
  email_unverified: (p) =>
    `An account with this email exists, and ${p} has not verified the address: log in with your password instead.`,
  email_not_verified: () =>
    'Confirm your email address first: open the link we sent you, then sign in again.',
  account_exists: (p) =>
    `An account with this email exists: log in to link ${p} to it. It will sign you in next time.`,
  identity_taken: (p) => `This ${p} account is already linked to another account.`,
  sign_in_failed: (p) => `The ${p} sign-in could not be completed. Try again.`,
};

const NAMES: Record<string, string> = { github: 'GitHub', google: 'Google', oidc: 'your provider' };

/** The message of `?oauth_error=<code>&provider=<id>`, or null when the URL has none. */
export function oauthMessage(search: URLSearchParams, providerName?: string) {
  const code = search.get('oauth_error');
  if (!code || !(OAUTH_ERRORS as readonly string[]).includes(code)) return null;
  const name = providerName ?? NAMES[search.get('provider') ?? ''] ?? 'the provider';
  return {
    code: code as OAuthError,
    text: MESSAGES[code as OAuthError](name),
  };
}
