import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source.js';

@Module({})
export class DatabaseModule {
  /** Pending migrations are applied at start unless `runMigrations` is false (production runs a migrate job). */
  static forRoot(url: string, runMigrations: boolean): DynamicModule {
    return {
      module: DatabaseModule,
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
