import { z } from 'zod';
import { defineContract, defineEndpoints } from './endpoint.js';

export const totpCodeSchema = z
  .string()
  .regex(/^\d{6}$/, 'Expected the 6-digit code of your authenticator app');
export const recoveryCodeSchema = z
  .string()
  .regex(
    /^[a-z0-9]{6}(-[a-z0-9]{6}){3}$/i,
    'Expected a recovery code such as abcdef-ghjkmn-pqrstu-vwxyz2',
  );

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

const mfaEndpoints = defineEndpoints({
  setupTotp: {
    method: 'POST',
    path: '/auth/mfa/totp/setup',
    summary: 'Start TOTP enrolment: a new secret to scan',
    access: 'session',
    response: totpSetupSchema,
    problems: ['conflict'],
    reauth: true,
  },
  enableTotp: {
    method: 'POST',
    path: '/auth/mfa/totp/enable',
    summary: 'Confirm enrolment with a code; returns recovery codes',
    access: 'session',
    body: totpCodeBodySchema,
    response: recoveryCodesSchema,
    problems: ['invalid_mfa_code', 'conflict'],
    reauth: true,
  },
  disableTotp: {
    method: 'POST',
    path: '/auth/mfa/totp/disable',
    summary: 'Turn TOTP off (password and a code)',
    access: 'session',
    body: totpDisableSchema,
    status: 204,
    problems: ['wrong_password', 'invalid_mfa_code', 'conflict'],
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const mfaContract = defineContract(
  { mfa: mfaEndpoints },
  { mfa: 'Two-factor authentication with an authenticator app (TOTP) and recovery codes.' },
);
