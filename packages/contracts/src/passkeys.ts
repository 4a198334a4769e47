import { z } from 'zod';
import { authTokensSchema, verifyMfaSchema } from './identity.js';
import { defineContract, defineEndpoints } from './endpoint.js';

/**
 * Passkeys (WebAuthn): the options the browser hands to `navigator.credentials`, and the
 * credentials it answers with, as the WebAuthn JSON serialisation (what @simplewebauthn/browser
 * produces and @simplewebauthn/server reads). Binary values travel as base64url.
 */

const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'Expected base64url');

/** Credential ids are at most 1023 bytes (WebAuthn §5.8.3). */
const credentialIdSchema = base64url(1366);

export const passkeyNameSchema = z.string().trim().min(1).max(64);

const transportsSchema = z
  .array(z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']))
  .max(8);

/** What a credential reports besides its response; read as is, never trusted. */
const credentialCommon = {
  id: credentialIdSchema,
  rawId: credentialIdSchema,
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.looseObject({}),
};

/** Shortened examples of what a browser sends, for the API docs. */
const exampleCredential = {
  id: 'AQIDBAUGBwgJCgsMDQ4PEA',
  rawId: 'AQIDBAUGBwgJCgsMDQ4PEA',
  type: 'public-key',
  clientExtensionResults: {},
} as const;
const exampleAssertion = {
  ...exampleCredential,
  response: {
    clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0',
    authenticatorData: 'SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ',
    signature: 'MEUCIQDexampleSignature',
  },
};

export const registrationResponseSchema = z
  .object({
    ...credentialCommon,
    response: z.object({
      clientDataJSON: base64url(4096),
      attestationObject: base64url(32_768),
      authenticatorData: base64url(32_768).optional(),
      transports: transportsSchema.optional(),
      publicKeyAlgorithm: z.number().int().optional(),
      publicKey: base64url(8192).optional(),
    }),
  })
  .meta({ id: 'PasskeyRegistrationResponse' });
export type PasskeyRegistrationResponse = z.infer<typeof registrationResponseSchema>;

export const authenticationResponseSchema = z
  .object({
    ...credentialCommon,
    response: z.object({
      clientDataJSON: base64url(4096),
      authenticatorData: base64url(32_768),
      signature: base64url(8192),
      userHandle: base64url(128).optional(),
    }),
  })
  .meta({ id: 'PasskeyAuthenticationResponse' });
export type PasskeyAuthenticationResponse = z.infer<typeof authenticationResponseSchema>;

const credentialDescriptorSchema = z.object({
  id: z.string(),
  type: z.string(),
  transports: z.array(z.string()).optional(),
});

/** PublicKeyCredentialCreationOptionsJSON: for `startRegistration({ optionsJSON })`. */
export const registrationOptionsSchema = z
  .looseObject({
    challenge: z.string(),
    rp: z.object({ id: z.string().optional(), name: z.string() }),
    user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
    pubKeyCredParams: z.array(z.object({ type: z.literal('public-key'), alg: z.number() })),
    timeout: z.number().optional(),
    excludeCredentials: z.array(credentialDescriptorSchema).optional(),
  })
  .meta({ id: 'PasskeyRegistrationOptions' });
export type PasskeyRegistrationOptions = z.infer<typeof registrationOptionsSchema>;

/** PublicKeyCredentialRequestOptionsJSON: for `startAuthentication({ optionsJSON })`. */
export const authenticationOptionsSchema = z
  .looseObject({
    challenge: z.string(),
    rpId: z.string().optional(),
    timeout: z.number().optional(),
    allowCredentials: z.array(credentialDescriptorSchema).optional(),
    userVerification: z.enum(['required', 'preferred', 'discouraged']).optional(),
  })
  .meta({ id: 'PasskeyAuthenticationOptions' });
export type PasskeyAuthenticationOptions = z.infer<typeof authenticationOptionsSchema>;

export const addPasskeySchema = z
  .object({
    name: passkeyNameSchema
      .optional()
      .describe('Defaults to the browser and system it was made on, e.g. "Chrome on Linux"'),
    response: registrationResponseSchema,
  })
  .strict()
  .meta({
    id: 'AddPasskey',
    examples: [
      {
        name: 'Work laptop',
        response: {
          ...exampleCredential,
          response: {
            clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0',
            attestationObject: 'o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YQ',
            transports: ['internal'],
          },
        },
      },
    ],
  });
export type AddPasskey = z.infer<typeof addPasskeySchema>;

export const renamePasskeySchema = z
  .object({ name: passkeyNameSchema })
  .strict()
  .meta({ id: 'RenamePasskey', examples: [{ name: 'Phone' }] });
export type RenamePasskey = z.infer<typeof renamePasskeySchema>;

export const passkeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    deviceType: z
      .enum(['singleDevice', 'multiDevice'])
      .describe('multiDevice: synced by a passkey provider'),
    backedUp: z.boolean(),
    transports: z.array(z.string()),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Passkey' });
export type Passkey = z.infer<typeof passkeySchema>;
export const passkeyListSchema = z.array(passkeySchema).meta({ id: 'PasskeyList' });

export const passkeySignInSchema = z
  .object({ response: authenticationResponseSchema })
  .strict()
  .meta({ id: 'PasskeySignIn', examples: [{ response: exampleAssertion }] });
export type PasskeySignIn = z.infer<typeof passkeySignInSchema>;

export const passkeyMfaOptionsSchema = z
  .object({ mfaToken: verifyMfaSchema.shape.mfaToken })
  .strict()
  .meta({
    id: 'PasskeyMfaOptions',
    examples: [{ mfaToken: 'eyJhbGciOiJIUzI1NiJ9.mfa-challenge.signature' }],
  });
export type PasskeyMfaOptions = z.infer<typeof passkeyMfaOptionsSchema>;

export const passkeyMfaVerifySchema = z
  .object({ mfaToken: verifyMfaSchema.shape.mfaToken, response: authenticationResponseSchema })
  .strict()
  .meta({
    id: 'PasskeyMfaVerify',
    examples: [
      {
        mfaToken: 'eyJhbGciOiJIUzI1NiJ9.mfa-challenge.signature',
        response: exampleAssertion,
      },
    ],
  });
export type PasskeyMfaVerify = z.infer<typeof passkeyMfaVerifySchema>;

const idParams = z.object({ id: z.uuid() }).strict();

const passkeysEndpoints = defineEndpoints({
  registrationOptions: {
    method: 'POST',
    path: '/passkeys/registration-options',
    summary: 'Start adding a passkey: the options for navigator.credentials.create',
    access: 'session',
    response: registrationOptionsSchema,
    reauth: true,
  },
  add: {
    method: 'POST',
    path: '/passkeys',
    summary: 'Finish adding a passkey: verify the new credential and keep it',
    access: 'session',
    body: addPasskeySchema,
    status: 201,
    response: passkeySchema,
    problems: ['passkey_rejected', 'conflict'],
    reauth: true,
  },
  list: {
    method: 'GET',
    path: '/passkeys',
    summary: 'The user’s passkeys',
    access: 'session',
    response: passkeyListSchema,
  },
  rename: {
    method: 'PATCH',
    path: '/passkeys/:id',
    summary: 'Rename a passkey',
    access: 'session',
    params: idParams,
    body: renamePasskeySchema,
    response: passkeySchema,
    problems: ['not_found'],
  },
  remove: {
    method: 'DELETE',
    path: '/passkeys/:id',
    summary: 'Delete a passkey',
    access: 'session',
    params: idParams,
    status: 204,
    problems: ['not_found', 'conflict'],
    reauth: true,
  },
  signInOptions: {
    method: 'POST',
    path: '/auth/passkeys/options',
    summary: 'Start a passkey sign-in: options for any passkey of this site (discoverable)',
    access: 'public',
    response: authenticationOptionsSchema,
  },
  signIn: {
    method: 'POST',
    path: '/auth/passkeys/verify',
    summary: 'Sign in with a passkey; sets the refresh cookie (no second step)',
    access: 'public',
    body: passkeySignInSchema,
    response: authTokensSchema,
    problems: ['passkey_rejected', 'email_not_verified'],
    session: 'starts',
  },
  mfaOptions: {
    method: 'POST',
    path: '/auth/passkeys/mfa/options',
    summary: 'Answer an MFA challenge with a passkey: options for the user’s passkeys',
    access: 'public',
    body: passkeyMfaOptionsSchema,
    response: authenticationOptionsSchema,
    problems: ['token_expired', 'token_invalid', 'passkey_rejected'],
  },
  mfaVerify: {
    method: 'POST',
    path: '/auth/passkeys/mfa/verify',
    summary: 'Finish an MFA login with a passkey instead of a code',
    access: 'public',
    body: passkeyMfaVerifySchema,
    response: authTokensSchema,
    problems: ['passkey_rejected', 'token_expired', 'token_invalid'],
    session: 'starts',
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const passkeysContract = defineContract(
  { passkeys: passkeysEndpoints },
  {
    passkeys:
      'Passkeys (WebAuthn): adding and managing them, signing in with one, and using one as the second step.',
  },
);
