import { Injectable } from '@nestjs/common';
import { PasswordService } from '../core/crypto/password.service.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { UsersService } from '../users/users.service.js';
import { PasswordPolicy } from './password-policy.js';

/** A user's password checked: the current one before a sensitive change, a new one by the policy. */
@Injectable()
export class PasswordsService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly policy: PasswordPolicy,
  ) {}

  /** Throws unless the password policy lets this user set the password. */
  async checkNewPassword(userId: string, password: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw new ProblemError('not_found', 'The user no longer exists.');
    await this.policy.check(password, user);
  }

  /** For sensitive changes: throws wrong_password unless the password is the user's. */
  async checkPassword(userId: string, password: string): Promise<void> {
    const user = await this.users.findWithSecrets({ id: userId });
    if (!(await this.passwords.verify(user?.passwordHash, password))) {
      throw new ProblemError('wrong_password', 'The current password is wrong.');
    }
  }
}
