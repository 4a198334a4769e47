import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Email delivery moves to the job engine: each email still to send gets its `mail.deliver` job,
 * and the outbox's own retry columns go (the job keeps its attempts and last error).
 */
export class MailJobs1797000000001 implements MigrationInterface {
  name = 'MailJobs1797000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `SELECT graphile_worker.add_job('mail.deliver', json_build_object('emailId', id),
         max_attempts => 10, job_key => 'email:' || id)
         FROM mail_outbox WHERE sent_at IS NULL AND attempts < 10`,
    );
    await queryRunner.query(`DROP INDEX "public"."mail_outbox_pending_idx"`);
    await queryRunner.query(
      `ALTER TABLE "mail_outbox" DROP COLUMN "attempts", DROP COLUMN "next_attempt_at", DROP COLUMN "last_error"`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "mail_outbox" ADD "attempts" integer NOT NULL DEFAULT '0', ADD "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ADD "last_error" text`,
    );
    await queryRunner.query(
      `CREATE INDEX "mail_outbox_pending_idx" ON "mail_outbox"  ("next_attempt_at") WHERE "sent_at" IS NULL`,
    );
  }
}
