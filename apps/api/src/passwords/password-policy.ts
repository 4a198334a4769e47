import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ProblemError } from '../core/problem/problem.error.js';
import { BreachedPasswords } from './breached-passwords.js';
import { commonForm, loadCommonPasswords } from './common-passwords.js';
import { isSimilarToPersonalInfo, type PersonalInfo } from './similar-password.js';

/**
 * The rules a new password must pass wherever one is set (registration, reset, change, a first
 * password), besides the contract's length: not one of the most common passwords, not built from
 * the user's email or name, and, when the check is on, not known from a breach.
 */
@Injectable()
export class PasswordPolicy implements OnModuleInit {
  private common: ReadonlySet<string> = new Set();

  constructor(private readonly breached: BreachedPasswords) {}

  onModuleInit() {
    this.common = loadCommonPasswords();
  }

  /** Throws the problem of a password this user may not set; the cheap rules go first. */
  async check(password: string, user: PersonalInfo): Promise<void> {
    if (this.common.has(commonForm(password))) {
      throw new ProblemError(
        'password_too_common',
        'This is one of the most common passwords: choose another (a few unrelated words make a good one).',
      );
    }
    if (isSimilarToPersonalInfo(password, user)) {
      throw new ProblemError(
        'password_too_similar',
        'This password is made from your name or email address: choose another.',
      );
    }
    if (await this.breached.isBreached(password)) {
      throw new ProblemError(
        'password_breached',
        'This password appeared in a data breach, so attackers try it first: choose another.',
      );
    }
  }
}
