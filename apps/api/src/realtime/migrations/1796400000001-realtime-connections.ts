import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The open WebSocket connections of every API instance, so the per-user cap holds across them.
 * A row lives until its connection closes or its instance stops renewing it (a killed instance).
 */
export class RealtimeConnections1796400000001 implements MigrationInterface {
  name = 'RealtimeConnections1796400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "realtime_connections" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "instance_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_realtime_connections" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "realtime_connections_user_id" ON "realtime_connections" ("user_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "realtime_connections_instance_id" ON "realtime_connections" ("instance_id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "realtime_connections"`);
  }
}
