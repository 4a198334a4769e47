import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { installJobSchema } from '../job-schema.js';

/**
 * The job engine's schema (graphile_worker, installed on a connection of its own, so that the
 * migrations after this one can queue jobs), and the workers' heartbeats (see WorkerLiveness).
 */
export class JobWorkers1797000000000 implements MigrationInterface {
  name = 'JobWorkers1797000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { url } = queryRunner.connection.options as { url: string };
    await installJobSchema(url, (message) => {
      queryRunner.connection.logger.log('warn', message);
    });
    await queryRunner.query(
      `CREATE TABLE "job_workers" ("id" text NOT NULL, "seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_job_workers" PRIMARY KEY ("id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "job_workers"`);
  }
}
