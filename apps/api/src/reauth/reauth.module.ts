import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { MfaModule } from '../mfa/mfa.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { EmailCodeModule } from '../email-code/email-code.module.js';
import { PasskeysModule } from '../passkeys/passkeys.module.js';
import { SecurityEventsModule } from '../security-events/security-events.module.js';
import { ReauthController } from './reauth.controller.js';
import { ReauthGuard } from './reauth.guard.js';
import { ReauthService } from './reauth.service.js';

/** A fresh proof of identity before sensitive changes: the endpoint, and its enforcement. */
@Module({
  imports: [
    UsersModule,
    SessionsModule,
    MfaModule,
    PasskeysModule,
    EmailCodeModule,
    SecurityEventsModule,
  ],
  controllers: [ReauthController],
  providers: [ReauthService, ReauthGuard],
  // The guard runs globally, in the order AppModule gives its guards.
  exports: [ReauthGuard],
})
export class ReauthModule {}
