import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** When each session last proved who it is (its sign-in, or a re-authentication). */
export class SessionProofs1796500000000 implements MigrationInterface {
  name = 'SessionProofs1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD "authenticated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
    // Sessions from before: their sign-in is their last proof.
    await queryRunner.query(`UPDATE "sessions" SET "authenticated_at" = "created_at"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "authenticated_at"`);
  }
}
