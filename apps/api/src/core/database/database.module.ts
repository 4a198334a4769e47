import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AfterCommit } from './after-commit.js';
import { DatabaseListener } from './database-listener.js';
import { boundedWaits, dataSourceOptions, type Migrations } from './data-source.js';
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
   * migrate job, without these time bounds: a migration may rightly take long).
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
        TypeOrmModule.forRoot({
          ...dataSourceOptions(url, migrations),
          extra: { max: 10, ...boundedWaits(timeoutMs) },
          autoLoadEntities: true,
          migrationsRun: runMigrations,
          retryAttempts: 3,
          retryDelay: 1_000,
        }),
      ],
    };
  }
}
