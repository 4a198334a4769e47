import { z } from 'zod';
import { API_PREFIX, defineEndpoints, type Endpoint } from './endpoint.js';
import { displayNameSchema, emailSchema, userSchema } from './users.js';

/** The refresh token travels in this httpOnly cookie, sent only to the auth routes. */
export const REFRESH_COOKIE = 'refresh_token';
export const REFRESH_COOKIE_PATH = `${API_PREFIX}/auth`;

/** Long passphrases are welcome; the upper bound keeps hashing cost bounded. */
export const passwordSchema = z.string().min(10).max(128);
const tokenSchema = z.string().min(16).max(512);
export const totpCodeSchema = z
  .string()
  .regex(/^\d{6}$/, 'Expected the 6-digit code of your authenticator app');
export const recoveryCodeSchema = z
  .string()
  .regex(/^[a-z0-9]{5}-[a-z0-9]{5}$/i, 'Expected a recovery code such as abcde-12345');

export const registerSchema = z
  .object({ email: emailSchema, password: passwordSchema, name: displayNameSchema })
  .strict()
  .meta({ id: 'Register' });
export type Register = z.infer<typeof registerSchema>;

export const loginSchema = z
  .object({ email: emailSchema, password: z.string().min(1).max(128) })
  .strict()
  .meta({ id: 'Login' });
export type Login = z.infer<typeof loginSchema>;

export const verifyMfaSchema = z
  .object({ mfaToken: tokenSchema, code: z.union([totpCodeSchema, recoveryCodeSchema]) })
  .strict()
  .meta({ id: 'VerifyMfa' });
export type VerifyMfa = z.infer<typeof verifyMfaSchema>;

export const emailOnlySchema = z.object({ email: emailSchema }).strict().meta({ id: 'EmailOnly' });
export type EmailOnly = z.infer<typeof emailOnlySchema>;

export const tokenOnlySchema = z.object({ token: tokenSchema }).strict().meta({ id: 'TokenOnly' });
export type TokenOnly = z.infer<typeof tokenOnlySchema>;

export const resetPasswordSchema = z
  .object({ token: tokenSchema, password: passwordSchema })
  .strict()
  .meta({ id: 'ResetPassword' });
export type ResetPassword = z.infer<typeof resetPasswordSchema>;

export const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1).max(128), newPassword: passwordSchema })
  .strict()
  .meta({ id: 'ChangePassword' });
export type ChangePassword = z.infer<typeof changePasswordSchema>;

/** Browsers send `{}` and the cookie; native clients send the refresh token here. */
export const refreshSchema = z
  .object({ refreshToken: tokenSchema.optional() })
  .strict()
  .meta({ id: 'Refresh' });
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

export const mfaChallengeSchema = z
  .object({ mfaRequired: z.literal(true), mfaToken: z.string() })
  .meta({ id: 'MfaChallenge' });
export type MfaChallenge = z.infer<typeof mfaChallengeSchema>;

export const loginResultSchema = z
  .union([authTokensSchema, mfaChallengeSchema])
  .meta({ id: 'LoginResult' });
export type LoginResult = z.infer<typeof loginResultSchema>;

export const sessionSchema = z
  .object({
    id: z.uuid(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime(),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    current: z.boolean().describe('The session of the access token that asked'),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof sessionSchema>;
export const sessionListSchema = z.array(sessionSchema).meta({ id: 'SessionList' });

export const totpSetupSchema = z
  .object({
    secret: z.string().describe('Base32, for typing into an authenticator app'),
    otpauthUrl: z.string().describe('otpauth:// URL, for a QR code'),
  })
  .meta({ id: 'TotpSetup' });
export type TotpSetup = z.infer<typeof totpSetupSchema>;

export const totpCodeBodySchema = z
  .object({ code: totpCodeSchema })
  .strict()
  .meta({ id: 'TotpCode' });
export type TotpCodeBody = z.infer<typeof totpCodeBodySchema>;

export const totpDisableSchema = z
  .object({
    password: z.string().min(1).max(128),
    code: z.union([totpCodeSchema, recoveryCodeSchema]),
  })
  .strict()
  .meta({ id: 'TotpDisable' });
export type TotpDisable = z.infer<typeof totpDisableSchema>;

export const recoveryCodesSchema = z
  .object({ recoveryCodes: z.array(z.string()).describe('Shown once; each works once') })
  .meta({ id: 'RecoveryCodes' });
export type RecoveryCodes = z.infer<typeof recoveryCodesSchema>;

const auth = <const R extends Omit<Endpoint, 'method' | 'path' | 'summary' | 'tag'>>(
  method: Endpoint['method'],
  path: string,
  summary: string,
  rest: R,
) => ({ method, path: `/auth/${path}`, summary, tag: 'auth', ...rest });

export const authEndpoints = defineEndpoints({
  register: auth('POST', 'register', 'Create an account; sends the verification email', {
    auth: 'none',
    body: registerSchema,
    status: 201,
    response: userSchema,
    errors: [409, 429],
  }),
  verifyEmail: auth('POST', 'verify-email', 'Confirm an email address with the mailed token', {
    auth: 'none',
    body: tokenOnlySchema,
    response: userSchema,
  }),
  resendVerification: auth(
    'POST',
    'resend-verification',
    'Mail a new verification link (always 202)',
    {
      auth: 'none',
      body: emailOnlySchema,
      status: 202,
      errors: [429],
    },
  ),
  login: auth('POST', 'login', 'Log in; sets the refresh cookie, or asks for the MFA code', {
    auth: 'none',
    body: loginSchema,
    response: loginResultSchema,
    errors: [401, 403, 429],
  }),
  verifyMfa: auth('POST', 'verify-mfa', 'Finish an MFA login with a TOTP or recovery code', {
    auth: 'none',
    body: verifyMfaSchema,
    response: authTokensSchema,
    errors: [401, 429],
  }),
  refresh: auth('POST', 'refresh', 'Rotate the refresh token and get a new access token', {
    auth: 'refresh-cookie',
    body: refreshSchema,
    response: authTokensSchema,
    errors: [401, 403],
  }),
  logout: auth('POST', 'logout', 'End this session and clear the refresh cookie', {
    auth: 'refresh-cookie',
    body: refreshSchema,
    status: 204,
    errors: [403],
  }),
  logoutAll: auth('POST', 'logout-all', 'End every session of the user', {
    auth: 'bearer',
    status: 204,
  }),
  requestPasswordReset: auth(
    'POST',
    'request-password-reset',
    'Mail a password reset link (always 202)',
    {
      auth: 'none',
      body: emailOnlySchema,
      status: 202,
      errors: [429],
    },
  ),
  resetPassword: auth(
    'POST',
    'reset-password',
    'Set a new password with the mailed token; ends every session',
    {
      auth: 'none',
      body: resetPasswordSchema,
      status: 204,
      errors: [400],
    },
  ),
  changePassword: auth('POST', 'change-password', 'Change the password; ends the other sessions', {
    auth: 'bearer',
    body: changePasswordSchema,
    status: 204,
    errors: [401],
  }),
  listSessions: auth('GET', 'sessions', 'The sessions of the user, the current one marked', {
    auth: 'bearer',
    response: sessionListSchema,
  }),
  revokeSession: auth('DELETE', 'sessions/:id', 'End one of the user’s sessions', {
    auth: 'bearer',
    status: 204,
    errors: [404],
  }),
  setupTotp: auth('POST', 'mfa/totp/setup', 'Start TOTP enrolment: a new secret to scan', {
    auth: 'bearer',
    response: totpSetupSchema,
    errors: [409],
  }),
  enableTotp: auth(
    'POST',
    'mfa/totp/enable',
    'Confirm enrolment with a code; returns recovery codes',
    {
      auth: 'bearer',
      body: totpCodeBodySchema,
      response: recoveryCodesSchema,
      errors: [400, 409],
    },
  ),
  disableTotp: auth('POST', 'mfa/totp/disable', 'Turn TOTP off (password and a code)', {
    auth: 'bearer',
    body: totpDisableSchema,
    status: 204,
    errors: [400, 401],
  }),
});
