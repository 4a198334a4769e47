import { z } from 'zod';
import { defineContract, defineEndpoints } from './endpoint.js';
import { tokenOnlySchema } from './identity.js';
import { organisationSchema } from './organisations.js';
import { orgRoleSchema } from './permissions.js';
import { emailSchema } from './users.js';

/** How long an invitation's link works; resending it starts the time again. */
export const INVITATION_DAYS = 7;
/** Pending invitations an organisation may have at once. */
export const MAX_PENDING_INVITATIONS = 50;

export const invitationSchema = z
  .object({
    id: z.uuid(),
    email: z.email(),
    role: orgRoleSchema,
    invitedBy: z
      .string()
      .nullable()
      .describe('The inviter’s name; null once their account is gone'),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'Invitation' });
export type Invitation = z.infer<typeof invitationSchema>;
export const invitationListSchema = z.array(invitationSchema).meta({ id: 'InvitationList' });

export const inviteSchema = z
  .object({ email: emailSchema, role: orgRoleSchema.default('member') })
  .strict()
  .meta({ id: 'Invite', examples: [{ email: 'grace@example.com', role: 'member' }] });
export type Invite = z.infer<typeof inviteSchema>;

/** What the mailed link's page shows before accepting: to whom, into what. */
export const invitationPreviewSchema = z
  .object({
    organisation: z.string(),
    email: z.email(),
    role: orgRoleSchema,
    invitedBy: z.string().nullable(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'InvitationPreview' });
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>;

const invitationParamsSchema = z.object({ orgId: z.uuid(), invitationId: z.uuid() }).strict();
const orgParamsSchema = z.object({ orgId: z.uuid() }).strict();

const invitationsEndpoints = defineEndpoints({
  list: {
    access: 'session',
    permission: 'members:invite',
    method: 'GET',
    path: '/orgs/:orgId/invitations',
    params: orgParamsSchema,
    summary: 'The pending invitations, newest first',
    response: invitationListSchema,
  },
  create: {
    access: 'session',
    permission: 'members:invite',
    method: 'POST',
    path: '/orgs/:orgId/invitations',
    params: orgParamsSchema,
    summary: `Invite someone by email, with a role up to your own (the link works ${INVITATION_DAYS} days)`,
    body: inviteSchema,
    status: 201,
    response: invitationSchema,
    problems: ['role_not_grantable', 'already_member', 'invitation_limit'],
  },
  resend: {
    access: 'session',
    permission: 'members:invite',
    method: 'POST',
    path: '/orgs/:orgId/invitations/:invitationId/resend',
    params: invitationParamsSchema,
    summary: 'Mail a pending invitation again, with a new link that works from now',
    response: invitationSchema,
    problems: ['not_found'],
  },
  revoke: {
    access: 'session',
    permission: 'members:invite',
    method: 'DELETE',
    path: '/orgs/:orgId/invitations/:invitationId',
    params: invitationParamsSchema,
    summary: 'Withdraw a pending invitation: its link stops working',
    status: 204,
  },
  preview: {
    access: 'public',
    method: 'POST',
    path: '/invitations/preview',
    summary: 'What an invitation’s link is for, before signing in to accept it',
    body: tokenOnlySchema,
    response: invitationPreviewSchema,
    problems: ['link_invalid', 'invitation_used', 'invitation_expired'],
  },
  accept: {
    access: 'session',
    method: 'POST',
    path: '/invitations/accept',
    summary: 'Join the organisation, signed in as the invited address (verified)',
    body: tokenOnlySchema,
    response: organisationSchema,
    problems: [
      'link_invalid',
      'invitation_used',
      'invitation_expired',
      'invitation_wrong_account',
      'email_not_verified',
      'already_member',
    ],
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const invitationsContract = defineContract(
  { invitations: invitationsEndpoints },
  { invitations: 'Invitations into an organisation, by email, and accepting them.' },
);
