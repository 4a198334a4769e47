import { Module } from '@nestjs/common';
import { BreachedPasswords } from './breached-passwords.js';
import { PasswordPolicy } from './password-policy.js';

/** The rules for new passwords, for every module that sets one. */
@Module({
  providers: [PasswordPolicy, BreachedPasswords],
  exports: [PasswordPolicy],
})
export class PasswordPolicyModule {}
