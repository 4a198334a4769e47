import { describe, expect, it } from 'vitest';
import {
  can,
  mayGrantRole,
  ORG_PERMISSIONS,
  ORG_ROLE_GRANTS,
  ORG_ROLES,
  type OrgRole,
} from './permissions.js';

describe('organisation permissions', () => {
  it('grants each role only stated permissions, and each a superset of the role below it', () => {
    for (const role of ORG_ROLES) {
      for (const permission of ORG_ROLE_GRANTS[role]) expect(ORG_PERMISSIONS).toContain(permission);
    }
    const [owner, admin, member] = ORG_ROLES.map((role) => new Set(ORG_ROLE_GRANTS[role]));
    expect([...member!].filter((p) => !admin!.has(p))).toEqual([]);
    expect([...admin!].filter((p) => !owner!.has(p))).toEqual([]);
    expect(owner!.size).toBe(ORG_PERMISSIONS.length);
  });

  it('lets only an owner delete the organisation, and a member neither invite nor see keys', () => {
    expect(ORG_ROLES.filter((role) => can(role, 'organisation:delete'))).toEqual(['owner']);
    expect(ORG_ROLES.filter((role) => can(role, 'organisation:transfer'))).toEqual(['owner']);
    expect(can('member', 'members:invite')).toBe(false);
    expect(can('member', 'apiKeys:read')).toBe(false);
    expect(can('member', 'notes:write')).toBe(true);
    expect(can(undefined, 'notes:read')).toBe(false);
  });

  it('lets a member grant at most their own role', () => {
    const grantable = (role: OrgRole) => ORG_ROLES.filter((target) => mayGrantRole(role, target));
    expect(grantable('owner')).toEqual(['owner', 'admin', 'member']);
    expect(grantable('admin')).toEqual(['admin', 'member']);
    expect(grantable('member')).toEqual(['member']);
  });
});
