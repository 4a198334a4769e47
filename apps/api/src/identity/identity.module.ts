import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { MfaModule } from '../mfa/mfa.module.js';
import { PasswordsModule } from '../passwords/passwords.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { EmailTokenEntity } from './email-token.entity.js';
import { EmailTokensService } from './email-tokens.service.js';
import { IdentityController } from './identity.controller.js';
import { IdentityService } from './identity.service.js';
import { IdentityJobs } from './identity.jobs.js';

/** Accounts with a password: registration, verification, password sign-in, reset and change. */
@Module({
  imports: [
    TypeOrmModule.forFeature([EmailTokenEntity]),
    UsersModule,
    SessionsModule,
    ApiKeysModule,
    PasswordsModule,
    MfaModule,
  ],
  controllers: [IdentityController],
  providers: [IdentityJobs, IdentityService, EmailTokensService],
  exports: [IdentityService],
})
export class IdentityModule {}
