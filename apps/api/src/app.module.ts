import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ZodValidationPipe } from 'nestjs-zod';
import { type DestinationStream } from 'pino';
import { type Config } from './core/config/config.js';
import { ConfigModule } from './core/config/config.module.js';
import { DatabaseModule } from './core/database/database.module.js';
import { LoggerModule } from './core/logging/logger.module.js';
import { ProblemFilter } from './core/problem/problem.filter.js';
import { HealthModule } from './health/health.module.js';

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
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(config, logDestination),
        DatabaseModule.forRoot(databaseUrl, !config.isProduction),
        HealthModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
