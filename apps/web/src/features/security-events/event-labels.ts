import { type SecurityEvent, type SecurityEventType } from '@repo/contracts';

/** Each event of the audit log in words. */
const LABELS: Record<SecurityEventType, string> = {
  login_succeeded: 'Signed in with a password',
  login_failed: 'Failed sign-in: wrong password',
  email_code_sign_in: 'Signed in with an email code',
  passkey_sign_in: 'Signed in with a passkey',
  provider_sign_in: 'Signed in with a linked account',
  logout: 'Signed out',
  session_revoked: 'Ended a session',
  sessions_revoked: 'Signed out everywhere',
  refresh_token_reused: 'A reused session token was refused; the session was ended',
  password_changed: 'Password changed',
  password_reset: 'Password reset by email link',
  email_verified: 'Email address confirmed',
  email_change_requested: 'Change of email address requested',
  email_changed: 'Email address changed',
  email_change_undone: 'Email address change undone; every session was ended',
  mfa_enabled: 'Two-factor authentication turned on',
  mfa_disabled: 'Two-factor authentication turned off',
  passkey_added: 'Passkey added',
  passkey_removed: 'Passkey removed',
  provider_linked: 'Sign-in provider linked',
  provider_unlinked: 'Sign-in provider unlinked',
  api_key_created: 'API key created',
  api_key_revoked: 'API key revoked',
  reauthenticated: 'Confirmed it was you',
  reauth_failed: 'Failed to confirm it was you',
};

/** The event's label, with the name it concerns when it has one ("Passkey added: “MacBook”"). */
export function describeEvent({ type, details }: SecurityEvent): string {
  const name = details.providerName ?? details.name;
  const label =
    type === 'password_changed' && details.first === true ? 'Password set' : LABELS[type];
  return typeof name === 'string' ? `${label}: “${name}”` : label;
}
