import {
  type Member,
  type Organisation,
  type OrganisationEvent,
  type OrgRole,
} from '@repo/contracts';

/** An organisation's row as the queries of OrganisationsService select it. */
export interface OrganisationRow {
  id: string;
  name: string;
  slug: string;
  created_at: Date;
}

export interface MemberRow {
  user_id: string;
  name: string;
  email: string;
  role: OrgRole;
  created_at: Date;
}

export const ORGANISATION_COLUMNS = 'id, name, slug, created_at';

export const toOrganisation = (row: OrganisationRow, role: OrgRole): Organisation => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  role,
  createdAt: row.created_at.toISOString(),
});

export const toMember = (row: MemberRow): Member => ({
  userId: row.user_id,
  name: row.name,
  email: row.email,
  role: row.role,
  joinedAt: row.created_at.toISOString(),
});

export interface EventRow {
  id: string;
  type: OrganisationEvent['type'];
  actor_id: string | null;
  actor_name: string | null;
  details: Record<string, string>;
  created_at: Date;
}

export const toEvent = (row: EventRow): OrganisationEvent => ({
  id: row.id,
  type: row.type,
  actor:
    row.actor_id && row.actor_name !== null ? { id: row.actor_id, name: row.actor_name } : null,
  details: row.details,
  createdAt: row.created_at.toISOString(),
});
