import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** One-time sign-in codes mailed to an address (passwordless sign-in and sign-up). */
export class EmailCodes1795310000000 implements MigrationInterface {
  name = 'EmailCodes1795310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "email_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" citext NOT NULL, "code_hash" text NOT NULL, "name" character varying(100), "attempts" integer NOT NULL DEFAULT 0, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_email_codes" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "email_codes_email_key" ON "email_codes" ("email")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "email_codes"`);
  }
}
