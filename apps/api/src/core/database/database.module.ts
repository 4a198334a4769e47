import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AfterCommit } from './after-commit.js';
import { DatabaseListener } from './database-listener.js';
import { asApiRole } from './api-role.js';
import { boundedWaits, dataSourceOptions, migrate, type Migrations } from './data-source.js';
import { TimedOutConnections } from './timed-out-connections.js';

export interface DatabaseModuleOptions {
  /** Every migration, oldest first (apps/api/src/migrations.gen.ts). */
  migrations: Migrations;
  runMigrations: boolean;
  timeoutMs: number;
}

@Module({})
export class DatabaseModule {
  /**
   * Pending migrations are applied at start unless `runMigrations` is false (production runs a
   * migrate job, without these time bounds: a migration may rightly take long), then the app's
   * connections run as the API's role (api-role.ts).
   */
  static forRoot(
    url: string,
    { migrations, runMigrations, timeoutMs }: DatabaseModuleOptions,
  ): DynamicModule {
    return {
      module: DatabaseModule,
      // Global: every feature may defer work to the commit of its transaction, or listen.
      global: true,
      providers: [AfterCommit, DatabaseListener, TimedOutConnections],
      exports: [AfterCommit, DatabaseListener],
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: async () => {
            if (runMigrations) await migrate(url, migrations);
            return {
              ...dataSourceOptions(url, migrations),
              extra: { max: 10, ...boundedWaits(timeoutMs), ...asApiRole },
              autoLoadEntities: true,
              retryAttempts: 3,
              retryDelay: 1_000,
            };
          },
        }),
      ],
    };
  }
}
