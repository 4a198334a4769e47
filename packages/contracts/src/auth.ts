import { z } from 'zod';
import { emailSchema, displayNameSchema, userSchema } from './users.js';

/** Long passphrases are welcome; the upper bound keeps hashing cost bounded. */
export const passwordSchema = z.string().min(10).max(128);
const tokenSchema = z.string().min(16).max(512);
const totpCodeSchema = z.string().regex(/^\d{6}$/, 'A 6-digit code');
const recoveryCodeSchema = z.string().regex(/^[a-z0-9]{5}-[a-z0-9]{5}$/i, 'A recovery code');

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

/** Browsers send the refresh token as an httpOnly cookie; native clients may send it here. */
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
    refreshToken: z.string().optional().describe('Only for native clients; browsers get a cookie'),
    user: userSchema,
  })
  .meta({ id: 'AuthTokens' });
export type AuthTokens = z.infer<typeof authTokensSchema>;

export const mfaChallengeSchema = z
  .object({ mfaRequired: z.literal(true), mfaToken: z.string() })
  .meta({ id: 'MfaChallenge' });
export type MfaChallenge = z.infer<typeof mfaChallengeSchema>;
