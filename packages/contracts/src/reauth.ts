import { z } from 'zod';
import { authTokensSchema } from './identity.js';
import { recoveryCodeSchema, totpCodeSchema } from './mfa.js';
import { defineContract, defineEndpoints } from './endpoint.js';
import { authenticationOptionsSchema, authenticationResponseSchema } from './passkeys.js';
import { reauthProofSchema } from './reauth-proof.js';

/** What each proof sends besides its name. */
const PROOF_FIELD = {
  password: 'password',
  totp: 'code',
  email_code: 'code',
  passkey: 'response',
} as const;

export const reauthenticateSchema = z
  .object({
    proof: reauthProofSchema,
    password: z.string().min(1).max(128).optional().describe('With proof: password'),
    code: z
      // A mailed code has six digits too.
      .union([totpCodeSchema, recoveryCodeSchema])
      .optional()
      .describe('With proof: totp (or a recovery code), or email_code'),
    response: authenticationResponseSchema
      .optional()
      .describe('With proof: passkey, the answer to /auth/reauth/passkey-options'),
  })
  .strict()
  .superRefine((body, ctx) => {
    const field = PROOF_FIELD[body.proof];
    if (body[field] === undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: `Required with proof ${body.proof}` });
    }
  })
  .meta({
    id: 'Reauthenticate',
    examples: [{ proof: 'password', password: 'correct horse battery' }],
  });
export type Reauthenticate = z.infer<typeof reauthenticateSchema>;

export const reauthStatusSchema = z
  .object({
    proofs: z.array(reauthProofSchema).describe('The proofs of identity this user can give'),
    until: z.iso
      .datetime()
      .nullable()
      .describe(
        'Until when sensitive changes go through without a new proof; null: a proof is needed',
      ),
  })
  .meta({ id: 'ReauthStatus' });
export type ReauthStatus = z.infer<typeof reauthStatusSchema>;

/** A proof given: the session's tokens renewed (ASVS 7.2.4), and until when the proof holds. */
export const reauthenticatedSchema = authTokensSchema
  .extend({
    until: z.iso.datetime().describe('Until when sensitive changes go through without a new proof'),
  })
  .meta({ id: 'Reauthenticated' });
export type Reauthenticated = z.infer<typeof reauthenticatedSchema>;

/**
 * A fresh proof of identity for this session, which sensitive changes (endpoints marked `reauth`)
 * need within the last few minutes: the email, a factor, a provider, an API key, the account.
 */
const reauthEndpoints = defineEndpoints({
  status: {
    method: 'GET',
    path: '/auth/reauth',
    summary: 'The proofs this user can give, and until when the last one holds',
    access: 'session',
    response: reauthStatusSchema,
  },
  reauthenticate: {
    method: 'POST',
    path: '/auth/reauth',
    summary: 'Prove who you are again: password, authenticator code, passkey or mailed code',
    access: 'session',
    body: reauthenticateSchema,
    response: reauthenticatedSchema,
    problems: [
      'bad_request',
      'wrong_password',
      'invalid_mfa_code',
      'passkey_rejected',
      'invalid_code',
    ],
    session: 'renews',
  },
  passkeyOptions: {
    method: 'POST',
    path: '/auth/reauth/passkey-options',
    summary: 'WebAuthn options to re-authenticate with one of the user’s passkeys',
    access: 'session',
    response: authenticationOptionsSchema,
    problems: ['bad_request', 'passkey_rejected'],
  },
  emailCode: {
    method: 'POST',
    path: '/auth/reauth/email-code',
    summary: 'Mail a one-time code to re-authenticate an account without a password',
    access: 'session',
    status: 202,
    problems: ['bad_request'],
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const reauthContract = defineContract(
  { reauth: reauthEndpoints },
  {
    reauth:
      'Re-authentication: a fresh proof of identity before a sensitive change (email, factors, API keys, the account).',
  },
);
