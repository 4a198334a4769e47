import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type CreateOrganisation,
  type Member,
  mayGrantRole,
  type Organisation,
  type OrgRole,
  type Pagination,
  type UpdateOrganisation,
} from '@repo/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { type Membership } from '../access/principal.js';
import { inTenant, setTenant } from '../core/database/tenant.js';
import { ProblemError } from '../core/problem/problem.error.js';
import {
  type EventRow,
  type MemberRow,
  ORGANISATION_COLUMNS,
  type OrganisationRow,
  toEvent,
  toMember,
  toOrganisation,
} from './organisation.mapper.js';
import { recordEvent } from './organisation-events.js';

const UNIQUE_VIOLATION = '23505';
/** The database's rule that an organisation keeps an owner (the Organisations migration). */
const LAST_OWNER_CONSTRAINT = 'memberships_last_owner';

const NO_MEMBER = 'No such member of this organisation.';

/** A slug another organisation has, or the last owner leaving: the database says, this tells. */
export function organisationProblemOf(error: unknown): unknown {
  const { code, constraint } =
    (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? {};
  if (constraint === LAST_OWNER_CONSTRAINT) {
    return new ProblemError(
      'last_owner',
      'An organisation needs an owner: make another member an owner first.',
    );
  }
  if (code === UNIQUE_VIOLATION && constraint === 'organisations_slug_key') {
    return new ProblemError('slug_taken', 'Another organisation has this address.');
  }
  return error;
}

/**
 * Organisations and their members (docs/organisations.md). Every query runs in a transaction that
 * names its organisation (inTenant): row-level security, not these queries' `WHERE`, keeps other
 * organisations out. The callers' membership and permission are the access guard's.
 */
@Injectable()
export class OrganisationsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` within the organisation, with its refusals as problems. */
  private async within<T>(orgId: string, work: (manager: EntityManager) => Promise<T>) {
    try {
      return await inTenant(this.dataSource, { orgId }, work);
    } catch (error) {
      throw organisationProblemOf(error);
    }
  }

  async list(userId: string): Promise<Organisation[]> {
    const rows = await inTenant(this.dataSource, { userId }, (manager) =>
      manager.query<(OrganisationRow & { role: OrgRole })[]>(
        `SELECT o.id, o.name, o.slug, o.created_at, m.role
           FROM memberships m JOIN organisations o ON o.id = m.org_id
          WHERE m.user_id = $1 ORDER BY o.name, o.id`,
        [userId],
      ),
    );
    return rows.map((row) => toOrganisation(row, row.role));
  }

  async create(userId: string, input: CreateOrganisation): Promise<Organisation> {
    const orgId = randomUUID();
    const [row] = await this.within(orgId, async (manager) => {
      const rows = await manager.query<OrganisationRow[]>(
        `INSERT INTO organisations (id, name, slug) VALUES ($1, $2, $3) RETURNING ${ORGANISATION_COLUMNS}`,
        [orgId, input.name, input.slug],
      );
      await manager.query(
        `INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'owner')`,
        [orgId, userId],
      );
      await recordEvent(manager, orgId, userId, 'organisation_created', {
        name: input.name,
        slug: input.slug,
      });
      return rows;
    });
    return toOrganisation(row!, 'owner');
  }

  async get({ orgId, role }: Membership): Promise<Organisation> {
    const [row] = await this.within(orgId, (manager) =>
      manager.query<OrganisationRow[]>(`SELECT ${ORGANISATION_COLUMNS} FROM organisations`),
    );
    if (!row) throw new ProblemError('not_found', 'No such organisation of yours.');
    return toOrganisation(row, role);
  }

  async update(
    { orgId, userId, role }: Membership,
    changes: UpdateOrganisation,
  ): Promise<Organisation> {
    const [rows] = await this.within(orgId, async (manager) => {
      const updated = await manager.query<[OrganisationRow[], number]>(
        `UPDATE organisations SET name = coalesce($2, name), slug = coalesce($3, slug)
          WHERE id = $1 RETURNING ${ORGANISATION_COLUMNS}`,
        [orgId, changes.name ?? null, changes.slug ?? null],
      );
      await recordEvent(manager, orgId, userId, 'organisation_updated', { ...changes });
      return updated;
    });
    if (!rows[0]) throw new ProblemError('not_found', 'No such organisation of yours.');
    return toOrganisation(rows[0], role);
  }

  /** Its members, notes and everything else of it go too (ON DELETE CASCADE). */
  async remove({ orgId }: Membership): Promise<void> {
    await this.within(orgId, (manager) =>
      manager.query('DELETE FROM organisations WHERE id = $1', [orgId]),
    );
  }

  /** One page of the activity log, newest first, and how many events there are in all. */
  async events({ orgId }: Membership, { page, pageSize }: Pagination) {
    return this.within(orgId, async (manager) => {
      const rows = await manager.query<EventRow[]>(
        `SELECT e.id::text, e.type, e.actor_id, u.name AS actor_name, e.details, e.created_at
           FROM organisation_events e LEFT JOIN users u ON u.id = e.actor_id
          WHERE e.org_id = $1
          ORDER BY e.created_at DESC, e.id DESC LIMIT $2 OFFSET $3`,
        [orgId, pageSize, (page - 1) * pageSize],
      );
      const [{ total }] = await manager.query<[{ total: number }]>(
        'SELECT count(*)::int AS total FROM organisation_events WHERE org_id = $1',
        [orgId],
      );
      return { events: rows.map(toEvent), total };
    });
  }

  async members({ orgId }: Membership): Promise<Member[]> {
    const rows = await this.within(orgId, (manager) =>
      manager.query<MemberRow[]>(
        `SELECT m.user_id, u.name, u.email, m.role, m.created_at
           FROM memberships m JOIN users u ON u.id = m.user_id
          ORDER BY u.name, u.id`,
      ),
    );
    return rows.map(toMember);
  }

  /**
   * Gives a member another role: at most the caller's own, and never to one whose role is above
   * the caller's. The last owner's demotion is refused at commit, however concurrent.
   */
  async changeRole(caller: Membership, userId: string, role: OrgRole): Promise<Member> {
    this.assertMayGrant(caller, role);
    const [row] = await this.within(caller.orgId, async (manager) => {
      const from = await this.assertOutranked(manager, caller, userId);
      await manager.query('UPDATE memberships SET role = $2 WHERE user_id = $1', [userId, role]);
      await recordEvent(manager, caller.orgId, caller.userId, 'role_changed', {
        userId,
        from,
        to: role,
      });
      return manager.query<MemberRow[]>(
        `SELECT m.user_id, u.name, u.email, m.role, m.created_at
           FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.user_id = $1`,
        [userId],
      );
    });
    return toMember(row!);
  }

  /** Removes a member whose role is not above the caller's. */
  async removeMember(caller: Membership, userId: string): Promise<void> {
    await this.within(caller.orgId, async (manager) => {
      await this.assertOutranked(manager, caller, userId);
      await manager.query('DELETE FROM memberships WHERE user_id = $1', [userId]);
      await recordEvent(manager, caller.orgId, caller.userId, 'member_removed', { userId });
    });
  }

  async leave({ orgId, userId }: Membership): Promise<void> {
    await this.within(orgId, async (manager) => {
      await manager.query('DELETE FROM memberships WHERE user_id = $1', [userId]);
      await recordEvent(manager, orgId, userId, 'member_left');
    });
  }

  /** The member becomes an owner and the caller, an owner, an admin: one transaction. */
  async transfer(caller: Membership, userId: string): Promise<void> {
    if (userId === caller.userId) {
      throw new ProblemError('validation_failed', 'You own it already: name another member.', {
        errors: [{ path: 'userId', message: 'Name another member' }],
      });
    }
    await this.within(caller.orgId, async (manager) => {
      const [, changed] = await manager.query<[unknown[], number]>(
        `UPDATE memberships SET role = 'owner' WHERE user_id = $1`,
        [userId],
      );
      if (changed === 0) throw new ProblemError('not_found', NO_MEMBER);
      await manager.query(`UPDATE memberships SET role = 'admin' WHERE user_id = $1`, [
        caller.userId,
      ]);
      await recordEvent(manager, caller.orgId, caller.userId, 'ownership_transferred', {
        to: userId,
      });
    });
  }

  /**
   * Before an account is deleted, in its transaction: refuses (`last_owner`) while it is the only
   * owner of an organisation that has other members, as ownership must be handed over first.
   * The organisations it is the only member of (its personal one, at least) go with it: the
   * database deletes an organisation whose last member leaves.
   */
  async assertCanLeaveAll(userId: string, manager: EntityManager): Promise<void> {
    await setTenant(manager, { userId });
    const owned = await manager.query<{ org_id: string }[]>(
      `SELECT org_id FROM memberships WHERE user_id = $1 AND role = 'owner'`,
      [userId],
    );
    for (const { org_id: orgId } of owned) {
      await setTenant(manager, { orgId });
      const [counts] = await manager.query<{ members: number; owners: number }[]>(
        `SELECT count(*)::int AS members, count(*) FILTER (WHERE role = 'owner')::int AS owners
           FROM memberships`,
      );
      if (counts!.members > 1 && counts!.owners === 1) {
        throw new ProblemError(
          'last_owner',
          'You are the only owner of an organisation with other members: make one of them an owner first.',
        );
      }
    }
    await setTenant(manager, {});
  }

  private assertMayGrant(caller: Membership, role: OrgRole) {
    if (!mayGrantRole(caller.role, role)) {
      throw new ProblemError(
        'role_not_grantable',
        `As ${caller.role}, you may give at most your own role.`,
      );
    }
  }

  /**
   * The member exists, and their role is not above the caller's (an admin leaves owners be):
   * their role, locked until the change commits.
   */
  private async assertOutranked(
    manager: EntityManager,
    caller: Membership,
    userId: string,
  ): Promise<OrgRole> {
    const [member] = await manager.query<{ role: OrgRole }[]>(
      'SELECT role FROM memberships WHERE user_id = $1 FOR UPDATE',
      [userId],
    );
    if (!member) throw new ProblemError('not_found', NO_MEMBER);
    this.assertMayGrant(caller, member.role);
    return member.role;
  }
}
