import { z } from 'zod';
import { API_PREFIX, defineContract, defineEndpoints } from './endpoint.js';
import { mfaChallengeSchema, recoveryCodeSchema, totpCodeSchema } from './mfa.js';
import { displayNameSchema, emailSchema, userSchema } from './users.js';

/** The refresh token travels in this httpOnly cookie, sent only to the auth routes. */
export const REFRESH_COOKIE = 'refresh_token';
export const REFRESH_COOKIE_PATH = `${API_PREFIX}/auth`;

/** Long passphrases are welcome; the upper bound keeps hashing cost bounded. */
export const passwordSchema = z.string().min(10).max(128);
const tokenSchema = z.string().min(16).max(512);
export const registerSchema = z
  .object({ email: emailSchema, password: passwordSchema, name: displayNameSchema })
  .strict()
  .meta({
    id: 'Register',
    examples: [
      { email: 'ada@example.com', password: 'correct horse battery', name: 'Ada Lovelace' },
    ],
  });
export type Register = z.infer<typeof registerSchema>;

export const loginSchema = z
  .object({ email: emailSchema, password: z.string().min(1).max(128) })
  .strict()
  .meta({
    id: 'Login',
    examples: [{ email: 'ada@example.com', password: 'correct horse battery' }],
  });
export type Login = z.infer<typeof loginSchema>;

export const verifyMfaSchema = z
  .object({ mfaToken: tokenSchema, code: z.union([totpCodeSchema, recoveryCodeSchema]) })
  .strict()
  .meta({
    id: 'VerifyMfa',
    examples: [{ mfaToken: 'eyJhbGciOiJIUzI1NiJ9.mfa-challenge.signature', code: '123456' }],
  });
export type VerifyMfa = z.infer<typeof verifyMfaSchema>;

export const emailOnlySchema = z
  .object({ email: emailSchema })
  .strict()
  .meta({ id: 'EmailOnly', examples: [{ email: 'ada@example.com' }] });
export type EmailOnly = z.infer<typeof emailOnlySchema>;

export const tokenOnlySchema = z
  .object({ token: tokenSchema })
  .strict()
  .meta({ id: 'TokenOnly', examples: [{ token: 'q3Xk9vY2mB7tR1sLw8ZpHc' }] });
export type TokenOnly = z.infer<typeof tokenOnlySchema>;

export const resetPasswordSchema = z
  .object({ token: tokenSchema, password: passwordSchema })
  .strict()
  .meta({
    id: 'ResetPassword',
    examples: [{ token: 'q3Xk9vY2mB7tR1sLw8ZpHc', password: 'a new long passphrase' }],
  });
export type ResetPassword = z.infer<typeof resetPasswordSchema>;

export const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1).max(128), newPassword: passwordSchema })
  .strict()
  .meta({
    id: 'ChangePassword',
    examples: [{ currentPassword: 'correct horse battery', newPassword: 'a new long passphrase' }],
  });
export type ChangePassword = z.infer<typeof changePasswordSchema>;

/** Browsers send `{}` and the cookie; native clients send the refresh token here. */
export const refreshSchema = z
  .object({ refreshToken: tokenSchema.optional() })
  .strict()
  .meta({ id: 'Refresh', examples: [{}] });
export type Refresh = z.infer<typeof refreshSchema>;

export const authTokensSchema = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().positive().describe('Seconds until the access token expires'),
    refreshToken: z
      .string()
      .optional()
      .describe('For native clients that sent theirs in the body; browsers get the cookie'),
    user: userSchema,
  })
  .meta({ id: 'AuthTokens' });
export type AuthTokens = z.infer<typeof authTokensSchema>;

export const loginResultSchema = z
  .union([authTokensSchema, mfaChallengeSchema])
  .meta({ id: 'LoginResult' });
export type LoginResult = z.infer<typeof loginResultSchema>;

const authEndpoints = defineEndpoints({
  register: {
    method: 'POST',
    path: '/auth/register',
    summary:
      'Create an account; always 202: a new address gets the verification email, a registered one a notice to its owner',
    access: 'public',
    body: registerSchema,
    status: 202,
    problems: ['password_too_common', 'password_too_similar', 'password_breached'],
  },
  verifyEmail: {
    method: 'POST',
    path: '/auth/verify-email',
    summary: 'Confirm an email address with the mailed token',
    access: 'public',
    body: tokenOnlySchema,
    response: userSchema,
    problems: ['link_invalid'],
  },
  resendVerification: {
    method: 'POST',
    path: '/auth/resend-verification',
    summary: 'Mail a new verification link (always 202)',
    access: 'public',
    body: emailOnlySchema,
    status: 202,
  },
  login: {
    method: 'POST',
    path: '/auth/login',
    summary: 'Log in; sets the refresh cookie, or asks for the MFA code',
    access: 'public',
    body: loginSchema,
    response: loginResultSchema,
    problems: ['invalid_credentials', 'email_not_verified'],
    session: 'starts',
  },
  verifyMfa: {
    method: 'POST',
    path: '/auth/verify-mfa',
    summary: 'Finish an MFA login with a TOTP or recovery code',
    access: 'public',
    body: verifyMfaSchema,
    response: authTokensSchema,
    problems: ['token_expired', 'token_invalid', 'invalid_mfa_code'],
    session: 'starts',
  },
  refresh: {
    method: 'POST',
    path: '/auth/refresh',
    summary: 'Rotate the refresh token and get a new access token',
    access: 'refresh-cookie',
    body: refreshSchema,
    response: authTokensSchema,
    problems: ['unauthorized', 'token_expired', 'token_invalid', 'refresh_reused'],
    session: 'starts',
  },
  logout: {
    method: 'POST',
    path: '/auth/logout',
    summary: 'End this session and clear the refresh cookie',
    access: 'refresh-cookie',
    body: refreshSchema,
    status: 204,
    session: 'ends',
  },
  logoutAll: {
    method: 'POST',
    path: '/auth/logout-all',
    summary: 'End every session of the user',
    access: 'session',
    status: 204,
    session: 'ends',
    reauth: true,
  },
  requestPasswordReset: {
    method: 'POST',
    path: '/auth/request-password-reset',
    summary: 'Mail a password reset link (always 202)',
    access: 'public',
    body: emailOnlySchema,
    status: 202,
  },
  resetPassword: {
    method: 'POST',
    path: '/auth/reset-password',
    summary: 'Set a new password with the mailed token; ends every session',
    access: 'public',
    body: resetPasswordSchema,
    status: 204,
    problems: ['link_invalid', 'password_too_common', 'password_too_similar', 'password_breached'],
  },
  changePassword: {
    method: 'POST',
    path: '/auth/change-password',
    summary: 'Change the password; ends the other sessions',
    access: 'session',
    body: changePasswordSchema,
    status: 204,
    problems: [
      'wrong_password',
      'password_too_common',
      'password_too_similar',
      'password_breached',
    ],
  },
});

/** The user's sessions (devices): access tokens only. */

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const identityContract = defineContract(
  { auth: authEndpoints },
  {
    auth: 'Accounts and sign-in: registration, email verification, login, refresh, logout and passwords.',
  },
);
