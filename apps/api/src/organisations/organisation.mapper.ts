import { type Member, type Organisation, type OrgRole } from '@repo/contracts';

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
