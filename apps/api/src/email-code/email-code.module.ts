import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { MfaModule } from '../mfa/mfa.module.js';
import { PasswordsModule } from '../passwords/passwords.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { EmailCodeController } from './email-code.controller.js';
import { EmailCodeEntity } from './email-code.entity.js';
import { EmailCodeService } from './email-code.service.js';
import { SetPasswordService } from './set-password.service.js';
import { EmailCodeJobs } from './email-code.jobs.js';

/** Sign-in and sign-up with a mailed one-time code, and a first password for such accounts. */
@Module({
  imports: [
    TypeOrmModule.forFeature([EmailCodeEntity]),
    UsersModule,
    SessionsModule,
    PasswordsModule,
    MfaModule,
  ],
  controllers: [EmailCodeController],
  providers: [EmailCodeJobs, EmailCodeService, SetPasswordService],
  exports: [EmailCodeService],
})
export class EmailCodeModule {}
