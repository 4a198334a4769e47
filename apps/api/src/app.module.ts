import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { type DestinationStream } from 'pino';
import { AccountModule } from './account/account.module.js';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { IdentityModule } from './identity/identity.module.js';
import { MfaModule } from './mfa/mfa.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { EmailCodeModule } from './email-code/email-code.module.js';
import { PasskeysModule } from './passkeys/passkeys.module.js';
import { ReauthGuard } from './reauth/reauth.guard.js';
import { ReauthModule } from './reauth/reauth.module.js';
import { OAuthModule } from './oauth/oauth.module.js';
import { SecurityEventsModule } from './security-events/security-events.module.js';
import { AccessModule } from './access/access.module.js';
import { AccessGuard } from './access/access.guard.js';
import { type Config } from './core/config/config.js';
import { ConfigModule } from './core/config/config.module.js';
import { CryptoModule } from './core/crypto/crypto.module.js';
import { DatabaseModule } from './core/database/database.module.js';
import { RateLimitGuard, rateLimitModuleOptions } from './core/rate-limit/rate-limit.js';
import { LoggerModule } from './core/logging/logger.module.js';
import { ProblemFilter } from './core/problem/problem.filter.js';
import { MetricsModule } from './core/telemetry/metrics.module.js';
import { HealthModule } from './health/health.module.js';
import { RealtimeBusModule } from './core/realtime-bus/realtime-bus.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { MailModule } from './mail/mail.module.js';
import { NotesModule } from './notes/notes.module.js';
import { UsersModule } from './users/users.module.js';

export interface AppModuleOptions {
  config: Config;
  databaseUrl: string;
  /** Where log lines go; stdout when absent. */
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, logDestination }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Finds the bound endpoints for the OpenAPI document.
        DiscoveryModule,
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(config, logDestination),
        DatabaseModule.forRoot(databaseUrl, !config.isProduction, config.DATABASE_TIMEOUT_MS),
        CryptoModule,
        MetricsModule,
        AccessModule,
        ThrottlerModule.forRootAsync(rateLimitModuleOptions(config, databaseUrl)),
        RealtimeBusModule,
        HealthModule,
        MailModule.forRoot(config),
        UsersModule,
        SecurityEventsModule,
        SessionsModule,
        MfaModule,
        IdentityModule,
        EmailCodeModule,
        PasskeysModule,
        ReauthModule,
        OAuthModule,
        AccountModule,
        ApiKeysModule,
        NotesModule,
        RealtimeModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        // Guards run in this order: rate limits first, so refused requests cost no database work;
        // then the access rule; then a recent proof of identity where the contract asks for one;
        // then each route's own (see Handles).
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useExisting: ReauthGuard },
      ],
    };
  }
}
