import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Accounts at sign-in providers (GitHub, Google, OpenID Connect) linked to users. */
export class UserIdentities1796232801010 implements MigrationInterface {
  name = 'UserIdentities1796232801010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "user_identities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "provider" character varying(20) NOT NULL, "subject" character varying(255) NOT NULL, "user_id" uuid NOT NULL, "email" character varying(254), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e23bff04e9c3e7b785e442b262c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "user_identities_user_id_idx" ON "user_identities"  ("user_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "user_identities_provider_subject_key" ON "user_identities"  ("provider", "subject") `,
    );
    await queryRunner.query(
      `ALTER TABLE "user_identities" ADD CONSTRAINT "FK_bf5fe01eb8cad7114b4c371cdc7" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "user_identities" DROP CONSTRAINT "FK_bf5fe01eb8cad7114b4c371cdc7"`,
    );
    await queryRunner.query(`DROP INDEX "public"."user_identities_provider_subject_key"`);
    await queryRunner.query(`DROP INDEX "public"."user_identities_user_id_idx"`);
    await queryRunner.query(`DROP TABLE "user_identities"`);
  }
}
