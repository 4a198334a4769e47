import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { MfaModule } from '../mfa/mfa.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { PasskeyChallenges } from './passkey-challenges.js';
import { PasskeyEntity } from './passkey.entity.js';
import { PasskeySignInController } from './passkey-sign-in.controller.js';
import { PasskeysController } from './passkeys.controller.js';
import { PasskeysService } from './passkeys.service.js';
import { RelyingParty } from './relying-party.js';
import { UsedPasskeyChallengeEntity } from './used-passkey-challenge.entity.js';
import { PasskeysJobs } from './passkeys.jobs.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([PasskeyEntity, UsedPasskeyChallengeEntity]),
    UsersModule,
    SessionsModule,
    MfaModule,
  ],
  controllers: [PasskeysController, PasskeySignInController],
  providers: [PasskeysJobs, PasskeysService, PasskeyChallenges, RelyingParty],
  exports: [PasskeysService],
})
export class PasskeysModule {}
