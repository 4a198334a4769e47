import { Injectable } from '@nestjs/common';
import { type User } from '@repo/contracts';
import { DataSource } from 'typeorm';
import { ProblemError } from '../core/problem/problem.error.js';
import { UsersService } from '../users/users.service.js';
import { PasswordsService } from '../passwords/passwords.service.js';
import { PasswordService } from '../core/crypto/password.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { type ClientInfo } from '../core/http/client-info.js';

/** A first password for an account that signs in without one. */
@Injectable()
export class SetPasswordService {
  constructor(
    private readonly passwords: PasswordService,
    private readonly passwordChecks: PasswordsService,
    private readonly users: UsersService,
    private readonly dataSource: DataSource,
    private readonly events: SecurityEventsService,
  ) {}

  /** Only while there is none (checked in the write itself): a password is changed, not set. */
  async setPassword(userId: string, password: string, client: ClientInfo): Promise<User> {
    await this.passwordChecks.checkNewPassword(userId, password);
    const passwordHash = await this.passwords.hash(password);
    await this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<{ id: string }[]>(
        `WITH updated AS (
           UPDATE users SET password_hash = $2, updated_at = now()
            WHERE id = $1 AND password_hash IS NULL
            RETURNING id)
         SELECT * FROM updated`,
        [userId, passwordHash],
      );
      if (rows.length === 0) {
        throw new ProblemError(
          'conflict',
          'This account has a password already: change it with your current one instead.',
        );
      }
      await this.events.record(userId, 'password_changed', client, { first: true }, manager);
    });
    return this.users.announce(userId);
  }
}
