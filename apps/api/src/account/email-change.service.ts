import { Injectable } from '@nestjs/common';
import { EMAIL_CHANGE_CONFIRM_HOURS, EMAIL_CHANGE_UNDO_DAYS, type User } from '@repo/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { type ClientInfo } from '../core/http/client-info.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { Config } from '../core/config/config.js';
import { randomToken, sha256 } from '../core/crypto/crypto.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { MailService } from '../mail/mail.service.js';
import {
  confirmEmailChangeMail,
  emailChangedMail,
  linkWithToken,
} from '../mail/templates/account-mails.js';
import { UsersService } from '../users/users.service.js';

const UNIQUE_VIOLATION = '23505';

const linkInvalid = () =>
  new ProblemError('link_invalid', 'This link is invalid, used or expired.');

/**
 * Changing the account's address: a link to the new address switches to it; the old address is
 * then told, with a link that puts it back and signs every session out (for when the change was
 * not the owner's). The unique index on users.email settles races: of two accounts confirming
 * one address, one wins, the other gets 409 email_taken.
 */
@Injectable()
export class EmailChangeService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
    private readonly mail: MailService,
    private readonly dataSource: DataSource,
    private readonly config: Config,
  ) {}

  /**
   * Mails the new address its link. A taken address gets none (no change could happen), and the
   * same answer, so the request tells nothing about who has an account.
   */
  async request(userId: string, email: string, client: ClientInfo): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw new ProblemError('not_found', 'The user no longer exists.');
    await this.dataSource.transaction(async (manager) => {
      await this.events.record(userId, 'email_change_requested', client, {}, manager);
      const taken = await manager.query<unknown[]>('SELECT 1 FROM users WHERE email = $1', [email]);
      if (taken.length > 0) return;
      // The newest request is the one that counts.
      await manager.query('DELETE FROM email_changes WHERE user_id = $1 AND confirmed_at IS NULL', [
        userId,
      ]);
      const token = randomToken();
      await manager.query(
        `INSERT INTO email_changes (user_id, new_email, token_hash, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(hours => $4))`,
        [userId, email, sha256(token), EMAIL_CHANGE_CONFIRM_HOURS],
      );
      const link = linkWithToken(this.config.WEB_ORIGIN, '/confirm-email-change', token);
      await this.mail.send(
        await confirmEmailChangeMail({ to: email, name: user.name, link }),
        manager,
      );
    });
  }

  /** Switches to the new address; the old one gets the notice with its undo link. */
  async confirm(token: string, client: ClientInfo): Promise<User> {
    const userId = await this.dataSource.transaction(async (manager) => {
      const undoToken = randomToken();
      const [change] = await manager.query<ConfirmedRow[]>(
        `WITH confirmed AS (
           UPDATE email_changes e
              SET confirmed_at = now(), old_email = u.email, undo_token_hash = $2,
                  undo_expires_at = now() + make_interval(days => $3)
             FROM users u
            WHERE e.token_hash = $1 AND e.confirmed_at IS NULL AND e.expires_at > now()
              AND u.id = e.user_id
            RETURNING e.user_id, e.new_email, u.email AS old_email, u.name)
         SELECT * FROM confirmed`,
        [sha256(token), sha256(undoToken), EMAIL_CHANGE_UNDO_DAYS],
      );
      if (!change) throw linkInvalid();
      await this.setAddress(change.user_id, change.new_email, manager);
      await this.events.record(change.user_id, 'email_changed', client, {}, manager);
      const link = linkWithToken(this.config.WEB_ORIGIN, '/undo-email-change', undoToken);
      const notice = await emailChangedMail({
        to: change.old_email,
        name: change.name,
        newEmail: change.new_email,
        link,
        webOrigin: this.config.WEB_ORIGIN,
      });
      await this.mail.send(notice, manager);
      return change.user_id;
    });
    return this.users.announce(userId);
  }

  /** Puts the old address back and ends every session of the user, on every instance. */
  async undo(token: string, client: ClientInfo): Promise<void> {
    const userId = await this.dataSource.transaction(async (manager) => {
      const [change] = await manager.query<{ user_id: string; old_email: string }[]>(
        `WITH undone AS (
           UPDATE email_changes SET undone_at = now()
            WHERE undo_token_hash = $1 AND undone_at IS NULL AND undo_expires_at > now()
            RETURNING user_id, old_email)
         SELECT * FROM undone`,
        [sha256(token)],
      );
      if (!change) throw linkInvalid();
      await this.setAddress(change.user_id, change.old_email, manager);
      await this.sessions.revokeAll(change.user_id, undefined, manager);
      await this.events.record(change.user_id, 'email_change_undone', client, {}, manager);
      return change.user_id;
    });
    await this.users.announce(userId);
  }

  /**
   * The address reached its owner, so it is confirmed. Links mailed to the address it replaces
   * (verification, password reset, a pending change) stop working.
   */
  private async setAddress(userId: string, email: string, manager: EntityManager) {
    try {
      await manager.query(
        `UPDATE users SET email = $2, email_verified_at = now(), updated_at = now() WHERE id = $1`,
        [userId, email],
      );
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      throw new ProblemError('email_taken', 'Another account uses this email address now.');
    }
    await manager.query(
      'UPDATE email_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL',
      [userId],
    );
    await manager.query('DELETE FROM email_changes WHERE user_id = $1 AND confirmed_at IS NULL', [
      userId,
    ]);
  }
}

interface ConfirmedRow {
  user_id: string;
  new_email: string;
  old_email: string;
  name: string;
}
