import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The audit log of each account, and an HTML part for emails. */
export class SecurityEvents1796300000000 implements MigrationInterface {
  name = 'SecurityEvents1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "security_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "type" character varying(40) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ip" character varying(64), "user_agent" character varying(512), "details" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_security_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "security_events_user_id_created_at_idx" ON "security_events" ("user_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "security_events_created_at_idx" ON "security_events" ("created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "security_events" ADD CONSTRAINT "FK_security_events_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "mail_outbox" ADD "html" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_outbox" DROP COLUMN "html"`);
    await queryRunner.query(
      `ALTER TABLE "security_events" DROP CONSTRAINT "FK_security_events_user_id"`,
    );
    await queryRunner.query(`DROP INDEX "public"."security_events_created_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."security_events_user_id_created_at_idx"`);
    await queryRunner.query(`DROP TABLE "security_events"`);
  }
}
