import { z } from 'zod';
import { apiKeySchema } from './api-keys.js';
import { tokenOnlySchema } from './identity.js';
import { sessionSchema } from './sessions.js';
import { defineContract, defineEndpoints } from './endpoint.js';
import { oauthProviderIdSchema } from './oauth.js';
import { passkeySchema } from './passkeys.js';
import { securityEventSchema } from './security-events.js';
import { emailSchema, userSchema } from './users.js';
import { orgRoleSchema } from './permissions.js';

/** How long the link that confirms a new address works. */
export const EMAIL_CHANGE_CONFIRM_HOURS = 24;
/** How long the old address may undo a change. */
export const EMAIL_CHANGE_UNDO_DAYS = 7;

export const changeEmailSchema = z
  .object({ email: emailSchema })
  .strict()
  .meta({ id: 'ChangeEmail', examples: [{ email: 'ada.king@example.com' }] });
export type ChangeEmail = z.infer<typeof changeEmailSchema>;

const iso = z.iso.datetime();

/**
 * Everything the API keeps about the user, as one JSON document: each table that holds the
 * user's rows has its key here. Hashes, secrets and keys are left out; what they protect is
 * named by its metadata.
 */
export const accountExportSchema = z
  .object({
    exportedAt: iso,
    profile: userSchema,
    mfa: z.object({
      totpEnabled: z.boolean(),
      recoveryCodesLeft: z.number().int().nonnegative(),
    }),
    // The example resource's table, stated here rather than imported: it stays exported as long as
    // the table holds rows, even once the notes feature is removed.
    notes: z.array(
      z.object({
        id: z.uuid(),
        title: z.string(),
        body: z.string(),
        version: z.number().int(),
        createdAt: iso,
        updatedAt: iso,
      }),
    ),
    memberships: z
      .array(
        z.object({
          orgId: z.uuid(),
          name: z.string(),
          slug: z.string(),
          role: orgRoleSchema,
          joinedAt: iso,
        }),
      )
      .describe('The organisations the user belongs to, with their role in each'),
    invitationsSent: z
      .array(
        z.object({
          orgId: z.uuid(),
          email: z.string(),
          role: orgRoleSchema,
          state: z.string(),
          createdAt: iso,
        }),
      )
      .describe('The invitations the user sent, in the organisations they are still in'),
    organisationActivity: z
      .array(
        z.object({
          orgId: z.uuid(),
          type: z.string(),
          details: z.record(z.string(), z.string()),
          createdAt: iso,
        }),
      )
      .describe('What the user did in the organisations they are still in (their activity logs)'),
    sessions: z.array(
      sessionSchema.omit({ current: true }).extend({ expiresAt: iso, revokedAt: iso.nullable() }),
    ),
    apiKeys: z.array(apiKeySchema.extend({ revokedAt: iso.nullable() })),
    passkeys: z.array(passkeySchema),
    linkedAccounts: z.array(
      z.object({
        id: z.uuid(),
        provider: oauthProviderIdSchema,
        email: z.string().nullable(),
        createdAt: iso,
      }),
    ),
    securityEvents: z.array(securityEventSchema),
    emailLinks: z
      .array(
        z.object({ purpose: z.string(), createdAt: iso, expiresAt: iso, usedAt: iso.nullable() }),
      )
      .describe('The verification and password-reset links mailed to the user'),
    emailChanges: z.array(
      z.object({
        newEmail: z.string(),
        oldEmail: z.string().nullable(),
        createdAt: iso,
        confirmedAt: iso.nullable(),
        undoneAt: iso.nullable(),
      }),
    ),
    liveConnections: z.number().int().nonnegative().describe('Realtime connections open right now'),
  })
  .meta({ id: 'AccountExport' });
export type AccountExport = z.infer<typeof accountExportSchema>;

const accountEndpoints = defineEndpoints({
  requestEmailChange: {
    method: 'POST',
    path: '/users/me/email',
    summary: 'Mail a confirmation link to a new address (202 whether or not the address is free)',
    access: 'session',
    body: changeEmailSchema,
    status: 202,
    reauth: true,
  },
  confirmEmailChange: {
    method: 'POST',
    path: '/users/me/email/confirm',
    summary:
      'Switch to the new address with the mailed link; the old one is told, with an undo link',
    access: 'public',
    body: tokenOnlySchema,
    response: userSchema,
    problems: ['link_invalid', 'email_taken'],
  },
  undoEmailChange: {
    method: 'POST',
    path: '/users/me/email/undo',
    summary: 'Put the old address back with the link mailed to it, and end every session',
    access: 'public',
    body: tokenOnlySchema,
    status: 204,
    problems: ['link_invalid', 'email_taken'],
  },
  export: {
    method: 'GET',
    path: '/users/me/export',
    summary: 'All of the user’s data as one JSON document',
    access: 'session',
    response: accountExportSchema,
  },
  delete: {
    method: 'DELETE',
    path: '/users/me',
    summary: 'Delete the account and all its data, and end every session',
    access: 'session',
    status: 204,
    reauth: true,
    problems: ['last_owner'],
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const accountContract = defineContract(
  { account: accountEndpoints },
  {
    account:
      'The account’s lifecycle: changing its email address (with an undo), exporting its data, deleting it.',
  },
);
