import { Injectable } from '@nestjs/common';
import { type AccountExport } from '@repo/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { setTenant } from '../core/database/tenant.js';
import { deviceOf } from '../security-events/device.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { UserEntity } from '../users/user.entity.js';
import { toUser } from '../users/user.mapper.js';

/**
 * Where each table that holds a user's rows lands in the export. A test reads the tables with a
 * user column from the database and fails for any missing here: a new table is exported, or
 * named here with the key that covers it, before it ships.
 */
export const EXPORTED_TABLES: Readonly<Record<string, keyof AccountExport>> = {
  users: 'profile',
  notes: 'notes',
  memberships: 'memberships',
  invitations: 'invitationsSent',
  organisation_events: 'organisationActivity',
  sessions: 'sessions',
  used_refresh_tokens: 'sessions',
  api_keys: 'apiKeys',
  passkeys: 'passkeys',
  user_identities: 'linkedAccounts',
  security_events: 'securityEvents',
  recovery_codes: 'mfa',
  email_tokens: 'emailLinks',
  email_changes: 'emailChanges',
  realtime_connections: 'liveConnections',
};

type Row = Record<string, unknown>;

/** Dates as ISO strings, the rest as is. */
const isoDates = <T>(row: Row): T =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  ) as T;

/**
 * The user's data as one document. Each query names its columns: a hash, a secret or a key
 * never leaves, even when a column is added to a table.
 */
@Injectable()
export class AccountExportService {
  constructor(private readonly dataSource: DataSource) {}

  async export(userId: string): Promise<AccountExport> {
    // One snapshot: the parts agree with each other.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      // Row-level security shows the API the user's own memberships, and their organisations.
      await setTenant(manager, { userId });
      const user = await manager.getRepository(UserEntity).findOneBy({ id: userId });
      if (!user) throw new ProblemError('not_found', 'The user no longer exists.');
      const rows = async <T>(sql: string): Promise<T[]> =>
        (await manager.query<Row[]>(sql, [userId])).map((row) => isoDates<T>(row));
      const [codes] = await rows<{ left: number }>(
        'SELECT count(*)::int AS "left" FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL',
      );
      const [connections] = await rows<{ open: number }>(
        'SELECT count(*)::int AS open FROM realtime_connections WHERE user_id = $1 AND expires_at > now()',
      );
      const events = await rows<Row & { userAgent: string | null }>(
        `SELECT id, type, created_at AS "createdAt", ip, user_agent AS "userAgent", details
           FROM security_events WHERE user_id = $1 ORDER BY created_at DESC, id DESC`,
      );
      return {
        exportedAt: new Date().toISOString(),
        profile: toUser(user),
        mfa: { totpEnabled: user.totpEnabledAt !== null, recoveryCodesLeft: codes?.left ?? 0 },
        notes: await rows(
          `SELECT id, title, body, version, created_at AS "createdAt", updated_at AS "updatedAt"
             FROM notes WHERE owner_id = $1 ORDER BY created_at`,
        ),
        memberships: await rows(
          `SELECT o.id AS "orgId", o.name, o.slug, m.role, m.created_at AS "joinedAt"
             FROM memberships m JOIN organisations o ON o.id = m.org_id
            WHERE m.user_id = $1 ORDER BY m.created_at`,
        ),
        invitationsSent: await this.inEachOrganisation(
          manager,
          userId,
          `SELECT org_id AS "orgId", email, role, state, created_at AS "createdAt"
             FROM invitations WHERE invited_by = $1 AND org_id = $2 ORDER BY created_at`,
        ),
        organisationActivity: await this.inEachOrganisation(
          manager,
          userId,
          `SELECT org_id AS "orgId", type, details, created_at AS "createdAt"
             FROM organisation_events WHERE actor_id = $1 AND org_id = $2 ORDER BY created_at, id`,
        ),
        sessions: await rows(
          `SELECT id, created_at AS "createdAt", last_used_at AS "lastUsedAt", expires_at AS "expiresAt",
                  revoked_at AS "revokedAt", user_agent AS "userAgent", ip
             FROM sessions WHERE user_id = $1 ORDER BY created_at`,
        ),
        apiKeys: await rows(
          `SELECT id, name, prefix, scopes, created_at AS "createdAt", last_used_at AS "lastUsedAt",
                  expires_at AS "expiresAt", revoked_at AS "revokedAt"
             FROM api_keys WHERE user_id = $1 ORDER BY created_at`,
        ),
        passkeys: await rows(
          `SELECT id, name, device_type AS "deviceType", backed_up AS "backedUp", transports,
                  created_at AS "createdAt", last_used_at AS "lastUsedAt"
             FROM passkeys WHERE user_id = $1 ORDER BY created_at`,
        ),
        linkedAccounts: await rows(
          `SELECT id, provider, email, created_at AS "createdAt"
             FROM user_identities WHERE user_id = $1 ORDER BY created_at`,
        ),
        securityEvents: events.map((e) => ({
          ...e,
          device: e.userAgent ? deviceOf(e.userAgent) : null,
        })) as AccountExport['securityEvents'],
        emailLinks: await rows(
          `SELECT purpose, created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt"
             FROM email_tokens WHERE user_id = $1 ORDER BY created_at`,
        ),
        emailChanges: await rows(
          `SELECT new_email AS "newEmail", old_email AS "oldEmail", created_at AS "createdAt",
                  confirmed_at AS "confirmedAt", undone_at AS "undoneAt"
             FROM email_changes WHERE user_id = $1 ORDER BY created_at`,
        ),
        liveConnections: connections?.open ?? 0,
      };
    });
  }

  /**
   * The user's rows of an organisation's table ($1 the user, $2 the organisation), in each of
   * their organisations: they are the organisation's rows, read one organisation at a time.
   */
  private async inEachOrganisation<T>(
    manager: EntityManager,
    userId: string,
    query: string,
  ): Promise<T[]> {
    const orgs = await manager.query<{ org_id: string }[]>(
      'SELECT org_id FROM memberships WHERE user_id = $1 ORDER BY created_at',
      [userId],
    );
    const rows: T[] = [];
    for (const { org_id: orgId } of orgs) {
      await setTenant(manager, { orgId, userId });
      const found = await manager.query<Row[]>(query, [userId, orgId]);
      rows.push(...found.map((row) => isoDates<T>(row)));
    }
    await setTenant(manager, { userId });
    return rows;
  }
}
