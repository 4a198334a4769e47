import { type OrganisationEventType } from '@repo/contracts';
import { type EntityManager } from 'typeorm';

/**
 * Writes an event of the organisation's activity log, in the transaction of the change it records
 * (which names the organisation: see inTenant). `actorId`: who made the change.
 */
export async function recordEvent(
  manager: EntityManager,
  orgId: string,
  actorId: string | null,
  type: OrganisationEventType,
  details: Record<string, string> = {},
): Promise<void> {
  await manager.query(
    'INSERT INTO organisation_events (org_id, type, actor_id, details) VALUES ($1, $2, $3, $4)',
    [orgId, type, actorId, details],
  );
}
