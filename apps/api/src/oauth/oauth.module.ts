import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { MfaModule } from '../mfa/mfa.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { OAuthCookies } from './oauth-cookies.js';
import { OAuthController } from './oauth.controller.js';
import { OAuthService } from './oauth.service.js';
import { SignInProviders } from './providers/sign-in-providers.js';
import { UserIdentityEntity } from './user-identity.entity.js';

/** Sign-in with GitHub, Google or any OpenID Connect provider, and linked accounts. */
@Module({
  imports: [
    TypeOrmModule.forFeature([UserIdentityEntity]),
    UsersModule,
    SessionsModule,
    MfaModule,
    IdentityModule,
  ],
  controllers: [OAuthController],
  providers: [OAuthService, OAuthCookies, SignInProviders],
})
export class OAuthModule {}
