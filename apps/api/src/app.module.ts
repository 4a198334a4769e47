import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { type DestinationStream } from 'pino';
import { ReauthGuard } from './reauth/reauth.guard.js';
import { AccessGuard } from './access/access.guard.js';
import { type Config } from './core/config/config.js';
import { ConfigModule } from './core/config/config.module.js';
import { CryptoModule } from './core/crypto/crypto.module.js';
import { DatabaseModule } from './core/database/database.module.js';
import { JobsModule } from './core/jobs/jobs.module.js';
import { RateLimitJobs } from './core/rate-limit/rate-limit.jobs.js';
import { RateLimitGuard, rateLimitModuleOptions } from './core/rate-limit/rate-limit.js';
import { LoggerModule } from './core/logging/logger.module.js';
import { ProblemFilter } from './core/problem/problem.filter.js';
import { MetricsModule } from './core/telemetry/metrics.module.js';
import { RealtimeBusModule } from './core/realtime-bus/realtime-bus.module.js';
import { featureModules } from './features.gen.js';
import { MailModule } from './mail/mail.module.js';
import { migrations } from './migrations.gen.js';

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
        DatabaseModule.forRoot(databaseUrl, {
          migrations,
          runMigrations: !config.isProduction,
          timeoutMs: config.DATABASE_TIMEOUT_MS,
        }),
        CryptoModule,
        MetricsModule,
        JobsModule,
        ThrottlerModule.forRootAsync(rateLimitModuleOptions(config, databaseUrl)),
        RealtimeBusModule,
        MailModule.forRoot(config),
        // Every feature folder's module (features.gen.ts, written by pnpm generate).
        ...featureModules,
      ],
      providers: [
        RateLimitJobs,
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
