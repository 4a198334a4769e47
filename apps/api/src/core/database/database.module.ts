import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AfterCommit } from './after-commit.js';
import { DatabaseListener } from './database-listener.js';
import { boundedWaits, dataSourceOptions } from './data-source.js';
import { TimedOutConnections } from './timed-out-connections.js';

@Module({})
export class DatabaseModule {
  /**
   * Pending migrations are applied at start unless `runMigrations` is false (production runs a
   * migrate job, without these time bounds: a migration may rightly take long).
   */
  static forRoot(url: string, runMigrations: boolean, timeoutMs: number): DynamicModule {
    return {
      module: DatabaseModule,
      // Global: every feature may defer work to the commit of its transaction, or listen.
      global: true,
      providers: [AfterCommit, DatabaseListener, TimedOutConnections],
      exports: [AfterCommit, DatabaseListener],
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(url),
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
