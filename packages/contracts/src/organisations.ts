import { z } from 'zod';
import { defineContract, defineEndpoints } from './endpoint.js';
import { paginationSchema } from './pagination.js';
import { orgRoleSchema } from './permissions.js';

/** Lower-case words joined by single hyphens: the organisation's address in the web app. */
export const orgSlugSchema = z
  .string()
  .min(3)
  .max(48)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Lower-case letters and digits, words joined by hyphens');
const orgName = z.string().trim().min(1).max(100);

export const organisationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    role: orgRoleSchema.describe('The caller’s role in it'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Organisation' });
export type Organisation = z.infer<typeof organisationSchema>;
export const organisationListSchema = z.array(organisationSchema).meta({ id: 'OrganisationList' });

export const createOrganisationSchema = z
  .object({ name: orgName, slug: orgSlugSchema })
  .strict()
  .meta({ id: 'CreateOrganisation', examples: [{ name: 'Acme', slug: 'acme' }] });
export type CreateOrganisation = z.infer<typeof createOrganisationSchema>;

export const updateOrganisationSchema = z
  .object({ name: orgName.optional(), slug: orgSlugSchema.optional() })
  .strict()
  .meta({ id: 'UpdateOrganisation', examples: [{ name: 'Acme Ltd' }] });
export type UpdateOrganisation = z.infer<typeof updateOrganisationSchema>;

export const memberSchema = z
  .object({
    userId: z.uuid(),
    name: z.string(),
    email: z.email(),
    role: orgRoleSchema,
    joinedAt: z.iso.datetime(),
  })
  .meta({ id: 'Member' });
export type Member = z.infer<typeof memberSchema>;
export const memberListSchema = z.array(memberSchema).meta({ id: 'MemberList' });

export const changeRoleSchema = z
  .object({ role: orgRoleSchema })
  .strict()
  .meta({ id: 'ChangeRole', examples: [{ role: 'admin' }] });
export type ChangeRole = z.infer<typeof changeRoleSchema>;

export const transferOwnershipSchema = z
  .object({ userId: z.uuid() })
  .strict()
  .meta({
    id: 'TransferOwnership',
    examples: [{ userId: '4f7c2e1a-8b3d-4c5e-9f6a-1b2c3d4e5f60' }],
  });

/** What the activity log records: who changed what, among the members and the organisation. */
export const ORGANISATION_EVENT_TYPES = [
  'organisation_created',
  'organisation_updated',
  'member_invited',
  'invitation_revoked',
  'member_joined',
  'role_changed',
  'member_removed',
  'member_left',
  'ownership_transferred',
] as const;
export const organisationEventTypeSchema = z.enum(ORGANISATION_EVENT_TYPES);
export type OrganisationEventType = z.infer<typeof organisationEventTypeSchema>;

export const organisationEventSchema = z
  .object({
    id: z.string(),
    type: organisationEventTypeSchema,
    actor: z
      .object({ id: z.uuid(), name: z.string() })
      .nullable()
      .describe('Who made the change; null once their account is gone'),
    details: z
      .record(z.string(), z.string())
      .describe('What changed: the address invited, the member and their roles, the new name…'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'OrganisationEvent' });
export type OrganisationEvent = z.infer<typeof organisationEventSchema>;
export const organisationEventListSchema = z
  .array(organisationEventSchema)
  .meta({ id: 'OrganisationEventList' });

export const orgParamsSchema = z.object({ orgId: z.uuid() }).strict();
export const memberParamsSchema = z.object({ orgId: z.uuid(), userId: z.uuid() }).strict();

const organisationsEndpoints = defineEndpoints({
  list: {
    access: 'session',
    method: 'GET',
    path: '/orgs',
    summary: 'The organisations you belong to, with your role in each, by name',
    response: organisationListSchema,
  },
  create: {
    access: 'session',
    method: 'POST',
    path: '/orgs',
    summary: 'Create an organisation, which you own',
    body: createOrganisationSchema,
    status: 201,
    response: organisationSchema,
    problems: ['slug_taken'],
  },
  get: {
    access: 'session',
    permission: 'organisation:read',
    method: 'GET',
    path: '/orgs/:orgId',
    params: orgParamsSchema,
    summary: 'One organisation',
    response: organisationSchema,
  },
  update: {
    access: 'session',
    permission: 'organisation:update',
    method: 'PATCH',
    path: '/orgs/:orgId',
    params: orgParamsSchema,
    summary: 'Rename an organisation, or change its address (slug)',
    body: updateOrganisationSchema,
    response: organisationSchema,
    problems: ['slug_taken'],
  },
  delete: {
    access: 'session',
    permission: 'organisation:delete',
    method: 'DELETE',
    path: '/orgs/:orgId',
    params: orgParamsSchema,
    summary: 'Delete an organisation and everything in it',
    status: 204,
    reauth: true,
  },
  members: {
    access: 'session',
    permission: 'members:read',
    method: 'GET',
    path: '/orgs/:orgId/members',
    params: orgParamsSchema,
    summary: 'The members, with their roles, by name',
    response: memberListSchema,
  },
  changeRole: {
    access: 'session',
    permission: 'members:update',
    method: 'PATCH',
    path: '/orgs/:orgId/members/:userId',
    params: memberParamsSchema,
    summary: 'Change a member’s role, to at most your own',
    body: changeRoleSchema,
    response: memberSchema,
    reauth: true,
    problems: ['last_owner', 'role_not_grantable'],
  },
  removeMember: {
    access: 'session',
    permission: 'members:remove',
    method: 'DELETE',
    path: '/orgs/:orgId/members/:userId',
    params: memberParamsSchema,
    summary: 'Remove a member (not one whose role is above yours)',
    status: 204,
    problems: ['last_owner', 'role_not_grantable'],
  },
  leave: {
    access: 'session',
    permission: 'organisation:read',
    method: 'POST',
    path: '/orgs/:orgId/leave',
    params: orgParamsSchema,
    summary: 'Leave an organisation (its last owner cannot)',
    status: 204,
    problems: ['last_owner'],
  },
  events: {
    access: 'session',
    permission: 'events:read',
    method: 'GET',
    path: '/orgs/:orgId/events',
    params: orgParamsSchema,
    query: paginationSchema,
    summary: 'The activity log, newest first (X-Total-Count: how many in all)',
    response: organisationEventListSchema,
  },
  transfer: {
    access: 'session',
    permission: 'organisation:transfer',
    method: 'POST',
    path: '/orgs/:orgId/transfer',
    params: orgParamsSchema,
    summary: 'Make another member the owner; you become an admin',
    body: transferOwnershipSchema,
    status: 204,
    reauth: true,
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const organisationsContract = defineContract(
  { organisations: organisationsEndpoints },
  {
    organisations:
      'Organisations: the people who share a product’s data, their roles, and what each role may do.',
  },
);
