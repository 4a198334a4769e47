import { z } from 'zod';
import { loginResultSchema, passwordSchema } from './identity.js';
import { defineContract, defineEndpoints } from './endpoint.js';
import { displayNameSchema, emailSchema, userSchema } from './users.js';

/** How long a mailed sign-in code works. */
export const EMAIL_CODE_TTL_MINUTES = 10;
/** Wrong tries that void a code. */
export const EMAIL_CODE_MAX_ATTEMPTS = 5;

export const emailCodeSchema = z.string().regex(/^\d{6}$/, 'Expected the 6-digit code we mailed');

export const requestEmailCodeSchema = z
  .object({
    email: emailSchema,
    name: displayNameSchema
      .optional()
      .describe('Given when signing up: the account is created, without a password, by the code'),
  })
  .strict()
  .meta({ id: 'RequestEmailCode', examples: [{ email: 'ada@example.com' }] });
export type RequestEmailCode = z.infer<typeof requestEmailCodeSchema>;

export const verifyEmailCodeSchema = z
  .object({ email: emailSchema, code: emailCodeSchema })
  .strict()
  .meta({ id: 'VerifyEmailCode', examples: [{ email: 'ada@example.com', code: '123456' }] });
export type VerifyEmailCode = z.infer<typeof verifyEmailCodeSchema>;

export const setPasswordSchema = z
  .object({ password: passwordSchema })
  .strict()
  .meta({ id: 'SetPassword', examples: [{ password: 'correct horse battery' }] });
export type SetPassword = z.infer<typeof setPasswordSchema>;

/** Passwordless sign-in (and sign-up) with a one-time code sent to the email address. */
const emailCodeEndpoints = defineEndpoints({
  request: {
    method: 'POST',
    path: '/auth/email-code/request',
    summary: 'Mail a one-time sign-in code (always 202; with a name, it also signs up)',
    access: 'public',
    body: requestEmailCodeSchema,
    status: 202,
  },
  verify: {
    method: 'POST',
    path: '/auth/email-code/verify',
    summary: 'Sign in with the mailed code; sets the refresh cookie, or asks for the MFA code',
    access: 'public',
    body: verifyEmailCodeSchema,
    response: loginResultSchema,
    problems: ['invalid_code', 'email_not_verified'],
    session: 'starts',
  },
});

/** A password for an account that has none (made by an email code, a provider or a passkey). */
const passwordEndpoints = defineEndpoints({
  set: {
    method: 'POST',
    path: '/auth/set-password',
    summary: 'Set a password on an account without one (else 409: change it instead)',
    access: 'session',
    body: setPasswordSchema,
    response: userSchema,
    problems: ['password_too_common', 'password_too_similar', 'password_breached', 'conflict'],
    reauth: true,
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const emailCodeContract = defineContract(
  { emailCode: emailCodeEndpoints, password: passwordEndpoints },
  {
    emailCode: 'Sign-in and passwordless sign-up with a one-time code sent by email.',
    password: 'Setting a first password on an account made without one.',
  },
);
