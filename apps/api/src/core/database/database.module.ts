import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AfterCommit } from './after-commit.js';
import { DatabaseListener } from './database-listener.js';
import { dataSourceOptions } from './data-source.js';

@Module({})
export class DatabaseModule {
  /** Pending migrations are applied at start unless `runMigrations` is false (production runs a migrate job). */
  static forRoot(url: string, runMigrations: boolean): DynamicModule {
    return {
      module: DatabaseModule,
      // Global: every feature may defer work to the commit of its transaction, or listen.
      global: true,
      providers: [AfterCommit, DatabaseListener],
      exports: [AfterCommit, DatabaseListener],
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(url),
          autoLoadEntities: true,
          migrationsRun: runMigrations,
          retryAttempts: 3,
          retryDelay: 1_000,
        }),
      ],
    };
  }
}
