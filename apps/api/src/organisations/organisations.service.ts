import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { setTenant } from '../core/database/tenant.js';
import { ProblemError } from '../core/problem/problem.error.js';

/** Organisations and their members (docs/organisations.md). */
@Injectable()
export class OrganisationsService {
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
      await setTenant(manager, { orgId, userId });
      const [counts] = await manager.query<{ members: number; owners: number }[]>(
        `SELECT count(*)::int AS members, count(*) FILTER (WHERE role = 'owner')::int AS owners
           FROM memberships WHERE org_id = $1`,
        [orgId],
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
}
