import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Rate limit windows shared by every API process (RateLimitStore): one row per key (an HMAC of
 * the route, limit and client) while its window lasts.
 */
export class RateLimits1796400000000 implements MigrationInterface {
  name = 'RateLimits1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "rate_limit_hits" ("key" text NOT NULL, "hits" integer NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_rate_limit_hits" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "rate_limit_hits_expires_at" ON "rate_limit_hits" ("expires_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rate_limit_hits"`);
  }
}
