import { z } from 'zod';
import { API_PREFIX, defineEndpoints } from './endpoint.js';
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
  .regex(
    /^[a-z0-9]{6}(-[a-z0-9]{6}){3}$/i,
    'Expected a recovery code such as abcdef-ghjkmn-pqrstu-vwxyz2',
  );

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

/** The second steps a user may answer an MFA challenge with. */
export const mfaMethodSchema = z.enum(['totp', 'passkey']);
export type MfaMethod = z.infer<typeof mfaMethodSchema>;

export const mfaChallengeSchema = z
  .object({
    mfaRequired: z.literal(true),
    mfaToken: z.string(),
    methods: z.array(mfaMethodSchema).describe('The second steps this user can answer with'),
  })
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
  .meta({ id: 'TotpCode', examples: [{ code: '123456' }] });
export type TotpCodeBody = z.infer<typeof totpCodeBodySchema>;

export const totpDisableSchema = z
  .object({
    password: z.string().min(1).max(128),
    code: z.union([totpCodeSchema, recoveryCodeSchema]),
  })
  .strict()
  .meta({ id: 'TotpDisable', examples: [{ password: 'correct horse battery', code: '123456' }] });
export type TotpDisable = z.infer<typeof totpDisableSchema>;

export const recoveryCodesSchema = z
  .object({ recoveryCodes: z.array(z.string()).describe('Shown once; each works once') })
  .meta({ id: 'RecoveryCodes' });
export type RecoveryCodes = z.infer<typeof recoveryCodesSchema>;

export const authEndpoints = defineEndpoints({
  register: {
    method: 'POST',
    path: '/auth/register',
    summary:
      'Create an account; always 202: a new address gets the verification email, a registered one a notice to its owner',
    access: 'public',
    body: registerSchema,
    status: 202,
    errors: [400, 429],
  },
  verifyEmail: {
    method: 'POST',
    path: '/auth/verify-email',
    summary: 'Confirm an email address with the mailed token',
    access: 'public',
    body: tokenOnlySchema,
    response: userSchema,
  },
  resendVerification: {
    method: 'POST',
    path: '/auth/resend-verification',
    summary: 'Mail a new verification link (always 202)',
    access: 'public',
    body: emailOnlySchema,
    status: 202,
    errors: [429],
  },
  login: {
    method: 'POST',
    path: '/auth/login',
    summary: 'Log in; sets the refresh cookie, or asks for the MFA code',
    access: 'public',
    body: loginSchema,
    response: loginResultSchema,
    errors: [401, 403, 429],
    session: 'starts',
  },
  verifyMfa: {
    method: 'POST',
    path: '/auth/verify-mfa',
    summary: 'Finish an MFA login with a TOTP or recovery code',
    access: 'public',
    body: verifyMfaSchema,
    response: authTokensSchema,
    errors: [401, 429],
    session: 'starts',
  },
  refresh: {
    method: 'POST',
    path: '/auth/refresh',
    summary: 'Rotate the refresh token and get a new access token',
    access: 'refresh-cookie',
    body: refreshSchema,
    response: authTokensSchema,
    errors: [401, 403],
    session: 'starts',
  },
  logout: {
    method: 'POST',
    path: '/auth/logout',
    summary: 'End this session and clear the refresh cookie',
    access: 'refresh-cookie',
    body: refreshSchema,
    status: 204,
    errors: [403],
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
    errors: [429],
  },
  resetPassword: {
    method: 'POST',
    path: '/auth/reset-password',
    summary: 'Set a new password with the mailed token; ends every session',
    access: 'public',
    body: resetPasswordSchema,
    status: 204,
    errors: [400],
  },
  changePassword: {
    method: 'POST',
    path: '/auth/change-password',
    summary: 'Change the password; ends the other sessions',
    access: 'session',
    body: changePasswordSchema,
    status: 204,
    errors: [400, 401],
  },
});

/** The user's sessions (devices): access tokens only. */
export const sessionsEndpoints = defineEndpoints({
  list: {
    method: 'GET',
    path: '/auth/sessions',
    summary: 'The sessions of the user, the current one marked',
    access: 'session',
    response: sessionListSchema,
  },
  revoke: {
    method: 'DELETE',
    path: '/auth/sessions/:id',
    summary: 'End one of the user’s sessions',
    access: 'session',
    params: z.object({ id: z.uuid() }).strict(),
    status: 204,
    errors: [404],
    reauth: true,
  },
});

/** Two-factor authentication with an authenticator app (TOTP) and recovery codes. */
export const mfaEndpoints = defineEndpoints({
  setupTotp: {
    method: 'POST',
    path: '/auth/mfa/totp/setup',
    summary: 'Start TOTP enrolment: a new secret to scan',
    access: 'session',
    response: totpSetupSchema,
    errors: [409],
    reauth: true,
  },
  enableTotp: {
    method: 'POST',
    path: '/auth/mfa/totp/enable',
    summary: 'Confirm enrolment with a code; returns recovery codes',
    access: 'session',
    body: totpCodeBodySchema,
    response: recoveryCodesSchema,
    errors: [400, 409],
    reauth: true,
  },
  disableTotp: {
    method: 'POST',
    path: '/auth/mfa/totp/disable',
    summary: 'Turn TOTP off (password and a code)',
    access: 'session',
    body: totpDisableSchema,
    status: 204,
    errors: [400, 401],
  },
});
