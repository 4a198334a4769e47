import { type SecurityEventDetails, type SecurityEventType } from '@repo/contracts';

/** The notices the account's owner is emailed: a sign-in from a new device, and these events. */
export type SecurityAlertKind =
  | 'new_device'
  | Extract<
      SecurityEventType,
      | 'password_changed'
      | 'password_reset'
      | 'mfa_enabled'
      | 'mfa_disabled'
      | 'passkey_added'
      | 'passkey_removed'
      | 'provider_linked'
      | 'provider_unlinked'
      | 'api_key_created'
      | 'refresh_token_reused'
    >;

interface AlertText {
  subject: string;
  headline: string;
  body: (details: SecurityEventDetails) => string;
}

/** ` “name”` when the event has a name, else nothing. */
const quoted = (details: SecurityEventDetails) =>
  typeof details.name === 'string' ? ` “${details.name}”` : '';
const providerOf = (details: SecurityEventDetails) =>
  typeof details.providerName === 'string' ? details.providerName : 'provider';

/** Subject, heading and explanation of each notice; `details` are the event's. */
export const SECURITY_ALERTS: Record<SecurityAlertKind, AlertText> = {
  new_device: {
    subject: 'New sign-in to your account',
    headline: 'Your account was signed into from a new device',
    body: () => 'Someone signed into your account from a browser or device not used before.',
  },
  password_changed: {
    subject: 'Your password was changed',
    headline: 'Your password was changed',
    body: () => 'The password of your account was changed. Your other sessions were signed out.',
  },
  password_reset: {
    subject: 'Your password was reset',
    headline: 'Your password was reset',
    body: () =>
      'The password of your account was reset with an emailed link. Every session was signed out and every API key revoked.',
  },
  mfa_enabled: {
    subject: 'Two-factor authentication is on',
    headline: 'Two-factor authentication was turned on',
    body: () => 'Signing in now also asks for a code from your authenticator app.',
  },
  mfa_disabled: {
    subject: 'Two-factor authentication is off',
    headline: 'Two-factor authentication was turned off',
    body: () => 'Signing in no longer asks for a code from your authenticator app.',
  },
  passkey_added: {
    subject: 'A passkey was added to your account',
    headline: 'A passkey was added',
    body: (d) => `The passkey${quoted(d)} can now sign into your account.`,
  },
  passkey_removed: {
    subject: 'A passkey was removed from your account',
    headline: 'A passkey was removed',
    body: (d) => `The passkey${quoted(d)} can no longer sign into your account.`,
  },
  provider_linked: {
    subject: 'An account was linked for sign-in',
    headline: 'A sign-in provider was linked',
    body: (d) => `Your ${providerOf(d)} account can now sign into this account.`,
  },
  provider_unlinked: {
    subject: 'A linked account was removed',
    headline: 'A sign-in provider was unlinked',
    body: (d) => `Your ${providerOf(d)} account can no longer sign into this account.`,
  },
  api_key_created: {
    subject: 'A new API key was created',
    headline: 'A new API key was created',
    body: (d) =>
      `The API key${quoted(d)} (${String(d.scopes ?? 'read')}) can now call the API for your account.`,
  },
  refresh_token_reused: {
    subject: 'A session was ended to protect your account',
    headline: 'A stolen session token may have been used',
    body: () =>
      'A sign-in token that had already been used was presented again, as happens when it was copied. That session was ended at once.',
  },
};
