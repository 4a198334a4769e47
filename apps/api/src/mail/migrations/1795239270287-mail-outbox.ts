import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class MailOutbox1795239270287 implements MigrationInterface {
  name = 'MailOutbox1795239270287';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "mail_outbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "to" character varying(254) NOT NULL, "subject" character varying(200) NOT NULL, "text" text NOT NULL, "link" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text, CONSTRAINT "PK_fecc63c96385bc35a39ccf2a72e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "mail_outbox_to_created_at_idx" ON "mail_outbox"  ("to", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "mail_outbox_pending_idx" ON "mail_outbox"  ("next_attempt_at") WHERE "sent_at" IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."mail_outbox_pending_idx"`);
    await queryRunner.query(`DROP INDEX "public"."mail_outbox_to_created_at_idx"`);
    await queryRunner.query(`DROP TABLE "mail_outbox"`);
  }
}
