import { Injectable } from '@nestjs/common';
import {
  INVITATION_DAYS,
  type Invitation,
  type InvitationPreview,
  type Invite,
  MAX_PENDING_INVITATIONS,
  mayGrantRole,
  type Organisation,
  type OrgRole,
} from '@repo/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { type Membership } from '../access/principal.js';
import { Config } from '../core/config/config.js';
import { randomToken, sha256 } from '../core/crypto/crypto.js';
import { inTenant } from '../core/database/tenant.js';
import { JobTask } from '../core/jobs/job-task.js';
import { Jobs } from '../core/jobs/jobs.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { MailService } from '../mail/mail.service.js';
import { linkWithToken } from '../mail/templates/account-mails.js';
import { invitationMail } from '../mail/templates/invitation-mail.js';
import {
  ORGANISATION_COLUMNS,
  type OrganisationRow,
  toOrganisation,
} from './organisation.mapper.js';
import { recordEvent } from './organisation-events.js';
import { isUuid } from '../core/http/uuid.js';

const EXPIRE_INVITATION = 'invitations.expire';

interface InvitationRow {
  id: string;
  email: string;
  role: OrgRole;
  invited_by: string | null;
  created_at: Date;
  expires_at: Date;
}

const INVITATION_COLUMNS = `i.id, i.email, i.role, u.name AS invited_by, i.created_at, i.expires_at`;

const toInvitation = (row: InvitationRow): Invitation => ({
  id: row.id,
  email: row.email,
  role: row.role,
  invitedBy: row.invited_by,
  createdAt: row.created_at.toISOString(),
  expiresAt: row.expires_at.toISOString(),
});

/**
 * The token names its organisation before a dot: accepting reads one organisation's rows, the
 * way every other request does, with no look across organisations. Only its hash is stored.
 */
const newToken = (orgId: string) => `${orgId}.${randomToken()}`;
const orgOfToken = (token: string): string => {
  const orgId = token.split('.', 1)[0]!;
  if (!isUuid(orgId)) throw new ProblemError('link_invalid', 'This invitation link is not valid.');
  return orgId;
};

/**
 * Invitations into an organisation (docs/organisations.md): mailed in the transaction that makes
 * them, accepted only by the invited address, signed in and verified; each expires with a job
 * that deletes it at its end.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly jobs: Jobs,
    private readonly config: Config,
  ) {}

  async list({ orgId }: Membership): Promise<Invitation[]> {
    const rows = await inTenant(this.dataSource, { orgId }, (manager) =>
      manager.query<InvitationRow[]>(
        `SELECT ${INVITATION_COLUMNS} FROM invitations i LEFT JOIN users u ON u.id = i.invited_by
          WHERE i.state = 'pending' AND i.expires_at > now() ORDER BY i.created_at DESC, i.id`,
      ),
    );
    return rows.map(toInvitation);
  }

  /** Inviting an address again replaces its pending invitation (the old link stops working). */
  async create(caller: Membership, { email, role }: Invite): Promise<Invitation> {
    if (!mayGrantRole(caller.role, role)) {
      throw new ProblemError(
        'role_not_grantable',
        `As ${caller.role}, you may invite with at most your own role.`,
      );
    }
    return inTenant(this.dataSource, { orgId: caller.orgId }, async (manager) => {
      const [member] = await manager.query<unknown[]>(
        'SELECT FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1',
        [email],
      );
      if (member) throw new ProblemError('already_member', `${email} is already a member.`);
      await manager.query(`DELETE FROM invitations WHERE email = $1 AND state = 'pending'`, [
        email,
      ]);
      const [{ pending }] = await manager.query<[{ pending: number }]>(
        `SELECT count(*)::int AS pending FROM invitations WHERE state = 'pending' AND expires_at > now()`,
      );
      if (pending >= MAX_PENDING_INVITATIONS) {
        throw new ProblemError(
          'invitation_limit',
          `An organisation may have ${MAX_PENDING_INVITATIONS} pending invitations: withdraw some first.`,
        );
      }
      const token = newToken(caller.orgId);
      const [{ id }] = await manager.query<[{ id: string }]>(
        `INSERT INTO invitations (org_id, email, role, token_hash, invited_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6)) RETURNING id`,
        [caller.orgId, email, role, sha256(token), caller.userId, INVITATION_DAYS],
      );
      await recordEvent(manager, caller.orgId, caller.userId, 'member_invited', { email, role });
      return this.mailIt(manager, id, token);
    });
  }

  async resend(caller: Membership, invitationId: string): Promise<Invitation> {
    return inTenant(this.dataSource, { orgId: caller.orgId }, async (manager) => {
      const [found] = await manager.query<unknown[]>(
        `SELECT FROM invitations WHERE id = $1 AND state = 'pending' FOR UPDATE`,
        [invitationId],
      );
      if (!found) throw new ProblemError('not_found', 'No such pending invitation.');
      const token = newToken(caller.orgId);
      await manager.query(
        `UPDATE invitations SET token_hash = $2, sent_at = now(),
                expires_at = now() + make_interval(days => $3) WHERE id = $1`,
        [invitationId, sha256(token), INVITATION_DAYS],
      );
      return this.mailIt(manager, invitationId, token);
    });
  }

  async revoke({ orgId, userId }: Membership, invitationId: string): Promise<void> {
    await inTenant(this.dataSource, { orgId }, async (manager) => {
      const [revoked] = await manager.query<[{ email: string }[], number]>(
        `DELETE FROM invitations WHERE id = $1 AND state = 'pending' RETURNING email`,
        [invitationId],
      );
      if (!revoked[0]) throw new ProblemError('not_found', 'No such pending invitation.');
      await recordEvent(manager, orgId, userId, 'invitation_revoked', {
        email: revoked[0].email,
      });
    });
  }

  async preview(token: string): Promise<InvitationPreview> {
    return inTenant(this.dataSource, { orgId: orgOfToken(token) }, async (manager) => {
      const invitation = await this.usable(manager, token);
      return {
        organisation: invitation.organisation,
        email: invitation.email,
        role: invitation.role,
        invitedBy: invitation.invited_by,
        expiresAt: invitation.expires_at.toISOString(),
      };
    });
  }

  /** Joins as the invited address only, verified; the invitation is used up. */
  async accept(userId: string, token: string): Promise<Organisation> {
    const orgId = orgOfToken(token);
    return inTenant(this.dataSource, { orgId, userId }, async (manager) => {
      const invitation = await this.usable(manager, token);
      const [user] = await manager.query<{ email: string; verified: boolean }[]>(
        'SELECT email, email_verified_at IS NOT NULL AS verified FROM users WHERE id = $1',
        [userId],
      );
      if (user?.email.toLowerCase() !== invitation.email.toLowerCase()) {
        throw new ProblemError(
          'invitation_wrong_account',
          `This invitation is for another address: sign in as ${invitation.email}.`,
        );
      }
      if (!user.verified) {
        throw new ProblemError('email_not_verified', 'Confirm your email address first.');
      }
      const [, joined] = await manager.query<[unknown[], number]>(
        `INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (org_id, user_id) DO NOTHING`,
        [orgId, userId, invitation.role],
      );
      if (joined === 0) throw new ProblemError('already_member', 'You are a member already.');
      await manager.query(
        `UPDATE invitations SET state = 'accepted', accepted_at = now() WHERE id = $1`,
        [invitation.id],
      );
      await recordEvent(manager, orgId, userId, 'member_joined', { role: invitation.role });
      const [organisation] = await manager.query<OrganisationRow[]>(
        `SELECT ${ORGANISATION_COLUMNS} FROM organisations WHERE id = $1`,
        [orgId],
      );
      return toOrganisation(organisation!, invitation.role);
    });
  }

  /** At its end an invitation goes (a used one is kept until then: it answers "used"). */
  @JobTask(EXPIRE_INVITATION)
  async expire({ orgId, invitationId }: Record<string, unknown>) {
    await inTenant(this.dataSource, { orgId: String(orgId) }, (manager) =>
      manager.query('DELETE FROM invitations WHERE id = $1 AND expires_at <= now()', [
        invitationId,
      ]),
    );
  }

  /** The invitation of a token, locked, if it can still be accepted; else the precise refusal. */
  private async usable(manager: EntityManager, token: string) {
    const [invitation] = await manager.query<
      (InvitationRow & { state: string; organisation: string })[]
    >(
      `SELECT ${INVITATION_COLUMNS}, i.state, o.name AS organisation
         FROM invitations i JOIN organisations o ON o.id = i.org_id
         LEFT JOIN users u ON u.id = i.invited_by
        WHERE i.token_hash = $1 FOR UPDATE OF i`,
      [sha256(token)],
    );
    if (!invitation) {
      throw new ProblemError(
        'link_invalid',
        'This invitation link is not valid, or was withdrawn.',
      );
    }
    if (invitation.state === 'accepted') {
      throw new ProblemError('invitation_used', 'This invitation has been accepted already.');
    }
    if (invitation.expires_at.getTime() <= Date.now()) {
      throw new ProblemError(
        'invitation_expired',
        'This invitation has expired: ask for a new one.',
      );
    }
    return invitation;
  }

  /** Mails the invitation in the caller's transaction, and schedules its expiry. */
  private async mailIt(manager: EntityManager, id: string, token: string): Promise<Invitation> {
    const [row] = await manager.query<(InvitationRow & { organisation: string })[]>(
      `SELECT ${INVITATION_COLUMNS}, o.name AS organisation
         FROM invitations i JOIN organisations o ON o.id = i.org_id
         LEFT JOIN users u ON u.id = i.invited_by WHERE i.id = $1`,
      [id],
    );
    const invitation = row!;
    await this.mail.send(
      await invitationMail({
        to: invitation.email,
        organisation: invitation.organisation,
        invitedBy: invitation.invited_by ?? invitation.organisation,
        role: invitation.role,
        link: linkWithToken(this.config.WEB_ORIGIN, '/invitations/accept', token),
        days: INVITATION_DAYS,
      }),
      manager,
    );
    const orgId = token.split('.', 1)[0]!;
    await this.jobs.enqueue(
      EXPIRE_INVITATION,
      { orgId, invitationId: id },
      { manager, runAt: invitation.expires_at, jobKey: `invitation-expire:${id}` },
    );
    return toInvitation(invitation);
  }
}
