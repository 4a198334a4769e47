import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** citext gives case-insensitive text columns (emails) without lower() everywhere. */
export class Extensions1763700000000 implements MigrationInterface {
  name = 'Extensions1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS citext');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP EXTENSION IF EXISTS citext');
  }
}
