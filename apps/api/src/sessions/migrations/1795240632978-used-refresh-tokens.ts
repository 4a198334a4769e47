import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class UsedRefreshTokens1795240632978 implements MigrationInterface {
  name = 'UsedRefreshTokens1795240632978';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "used_refresh_tokens" ("token_hash" text NOT NULL, "session_id" uuid NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a0fad3682cd62bddd8363e4a4d9" PRIMARY KEY ("token_hash"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "used_refresh_tokens_session_id_idx" ON "used_refresh_tokens"  ("session_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "used_refresh_tokens" ADD CONSTRAINT "FK_c38a6a21ce9c0f354e8bb69fb7d" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "used_refresh_tokens" DROP CONSTRAINT "FK_c38a6a21ce9c0f354e8bb69fb7d"`,
    );
    await queryRunner.query(`DROP INDEX "public"."used_refresh_tokens_session_id_idx"`);
    await queryRunner.query(`DROP TABLE "used_refresh_tokens"`);
  }
}
