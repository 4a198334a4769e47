import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PasswordsModule } from '../passwords/passwords.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { MfaChallenges } from './mfa-challenges.js';
import { MfaController } from './mfa.controller.js';
import { MfaService } from './mfa.service.js';
import { RecoveryCodeEntity } from './recovery-code.entity.js';
import { SignInService } from './sign-in.service.js';

/** TOTP and recovery codes, and the sign-in steps that end in an MFA challenge or a session. */
@Module({
  imports: [
    TypeOrmModule.forFeature([RecoveryCodeEntity]),
    UsersModule,
    SessionsModule,
    PasswordsModule,
  ],
  controllers: [MfaController],
  providers: [MfaService, MfaChallenges, SignInService],
  exports: [MfaService, SignInService],
})
export class MfaModule {}
