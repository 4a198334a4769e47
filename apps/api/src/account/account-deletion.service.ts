import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  organisationProblemOf,
  OrganisationsService,
} from '../organisations/organisations.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { MailService } from '../mail/mail.service.js';
import { accountDeletedMail } from '../mail/templates/account-mails.js';

/**
 * Deletes an account and everything of it in one transaction: its organisations where no one else
 * is a member too. The tables that reference users go with it (ON DELETE CASCADE); the ones keyed otherwise are cleared here. Nothing about the
 * user stays, its audit log included; only the confirmation email, written in the same
 * transaction, so it is sent if and only if the account is gone.
 */
@Injectable()
export class AccountDeletionService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly organisations: OrganisationsService,
    private readonly mail: MailService,
    private readonly dataSource: DataSource,
  ) {}

  async delete(userId: string): Promise<void> {
    // The database refuses too (at commit) when another owner left at the same moment.
    await this.dataSource
      .transaction(async (manager) => {
        const [user] = await manager.query<{ email: string; name: string }[]>(
          'SELECT email, name FROM users WHERE id = $1 FOR UPDATE',
          [userId],
        );
        if (!user) throw new ProblemError('not_found', 'The user no longer exists.');
        await this.organisations.assertCanLeaveAll(userId, manager);
        // Announced on commit: every instance closes the sockets of these sessions.
        await this.sessions.revokeAll(userId, undefined, manager);
        // No foreign key to users: the connection leases (gone with their sockets anyway) and the
        // one-time sign-in codes mailed to the address.
        await manager.query('DELETE FROM realtime_connections WHERE user_id = $1', [userId]);
        await manager.query('DELETE FROM email_codes WHERE email = $1', [user.email]);
        await manager.query('DELETE FROM users WHERE id = $1', [userId]);
        await this.mail.send(
          await accountDeletedMail({ to: user.email, name: user.name }),
          manager,
        );
      })
      .catch((error: unknown) => {
        throw organisationProblemOf(error);
      });
  }
}
