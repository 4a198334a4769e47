import { type SecurityEventDetails, type SecurityEventType } from '@repo/contracts';

/**
 * How a sign-in was made, for the audit log: its first step, and the second when the account
 * has one. The first step travels in the MFA challenge token until the second is done.
 */
export interface SignInVia {
  method: 'password' | 'email_code' | 'passkey' | 'provider';
  /** The provider of a provider sign-in (github, google, …). */
  provider?: string;
  secondFactor?: 'totp' | 'recovery_code' | 'passkey';
}

export const PASSWORD_SIGN_IN: SignInVia = { method: 'password' };

const EVENT_OF: Record<SignInVia['method'], SecurityEventType> = {
  password: 'login_succeeded',
  email_code: 'email_code_sign_in',
  passkey: 'passkey_sign_in',
  provider: 'provider_sign_in',
};

/** The event a sign-in records, and its details. */
export function signInEvent(via: SignInVia): [SecurityEventType, SecurityEventDetails] {
  const details: SecurityEventDetails = {};
  if (via.provider) details.provider = via.provider;
  if (via.secondFactor) details.secondFactor = via.secondFactor;
  return [EVENT_OF[via.method], details];
}
