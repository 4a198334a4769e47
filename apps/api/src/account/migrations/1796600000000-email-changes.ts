import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Changes of a user's email address: the link that confirms the new address, then the link that
 * lets the old address undo it. Both tokens stored hashed.
 */
export class EmailChanges1796600000000 implements MigrationInterface {
  name = 'EmailChanges1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "email_changes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "new_email" citext NOT NULL, "old_email" citext, "token_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "confirmed_at" TIMESTAMP WITH TIME ZONE, "undo_token_hash" text, "undo_expires_at" TIMESTAMP WITH TIME ZONE, "undone_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_email_changes" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "email_changes_token_hash_key" ON "email_changes" ("token_hash")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "email_changes_undo_token_hash_key" ON "email_changes" ("undo_token_hash")`,
    );
    await queryRunner.query(
      `CREATE INDEX "email_changes_user_id_idx" ON "email_changes" ("user_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "email_changes" ADD CONSTRAINT "FK_email_changes_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "email_changes"`);
  }
}
