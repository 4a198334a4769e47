import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Accounts made by a provider, a passkey or an email code may have no password. */
export class OptionalPassword1795300000000 implements MigrationInterface {
  name = 'OptionalPassword1795300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Accounts without a password cannot be kept: they would have no way in after the rollback.
    await queryRunner.query(`DELETE FROM "users" WHERE "password_hash" IS NULL`);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "password_hash" SET NOT NULL`);
  }
}
