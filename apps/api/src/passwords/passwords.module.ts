import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { BreachedPasswords } from './breached-passwords.js';
import { PasswordPolicy } from './password-policy.js';
import { PasswordsService } from './passwords.service.js';

/** The rules for new passwords and the check of a current one, for every module that needs them. */
@Module({
  imports: [UsersModule],
  providers: [PasswordPolicy, BreachedPasswords, PasswordsService],
  exports: [PasswordPolicy, PasswordsService],
})
export class PasswordsModule {}
