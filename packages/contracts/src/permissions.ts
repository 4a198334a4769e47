import { z } from 'zod';

// What the members of an organisation may do: each resource with its actions (the statements),
// then each role's grants. One table for the API's guard, the OpenAPI document and the web app's
// controls (`can(role, 'members:invite')`).

/** The roles of a member, most powerful first. */
export const ORG_ROLES = ['owner', 'admin', 'member'] as const;
export const orgRoleSchema = z.enum(ORG_ROLES);
export type OrgRole = z.infer<typeof orgRoleSchema>;

/** Every resource of an organisation and the actions on it. */
export const ORG_STATEMENTS = {
  organisation: ['read', 'update', 'transfer', 'delete'],
  members: ['read', 'invite', 'update', 'remove'],
  notes: ['read', 'write'],
  apiKeys: ['read', 'write'],
  events: ['read'],
} as const;

type Statements = typeof ORG_STATEMENTS;
/** `resource:action`, e.g. `notes:write`. */
export type OrgPermission = {
  [R in keyof Statements]: `${R}:${Statements[R][number]}`;
}[keyof Statements];

export const ORG_PERMISSIONS = Object.entries(ORG_STATEMENTS).flatMap(([resource, actions]) =>
  actions.map((action) => `${resource}:${action}` as OrgPermission),
);

const MEMBER: readonly OrgPermission[] = [
  'organisation:read',
  'members:read',
  'notes:read',
  'notes:write',
];
const ADMIN: readonly OrgPermission[] = [
  ...MEMBER,
  'organisation:update',
  'members:invite',
  'members:update',
  'members:remove',
  'apiKeys:read',
  'apiKeys:write',
  'events:read',
];

/**
 * What each role may do. An owner may do everything: hand the organisation over, delete it.
 */
export const ORG_ROLE_GRANTS: Record<OrgRole, readonly OrgPermission[]> = {
  owner: ORG_PERMISSIONS,
  admin: ADMIN,
  member: MEMBER,
};

/** Whether a member with `role` (none: not a member) may do `permission`. */
export const can = (role: OrgRole | undefined, permission: OrgPermission): boolean =>
  role !== undefined && ORG_ROLE_GRANTS[role].includes(permission);

/**
 * Whether a member with `role` may give `target` to someone (inviting, changing a role): at most
 * their own role, so only an owner makes an owner.
 */
export const mayGrantRole = (role: OrgRole, target: OrgRole): boolean =>
  ORG_ROLES.indexOf(target) >= ORG_ROLES.indexOf(role);
