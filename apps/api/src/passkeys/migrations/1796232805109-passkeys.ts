import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Passkeys (WebAuthn credentials) and the challenges their ceremonies have used up. */
export class Passkeys1796232805109 implements MigrationInterface {
  name = 'Passkeys1796232805109';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "passkeys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "credential_id" text NOT NULL, "public_key" bytea NOT NULL, "counter" bigint NOT NULL DEFAULT '0', "transports" text array NOT NULL DEFAULT '{}', "device_type" text NOT NULL, "backed_up" boolean NOT NULL, "name" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_db928e6fd79e7098911268a74c3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "passkeys_user_id_idx" ON "passkeys"  ("user_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "passkeys_credential_id_key" ON "passkeys"  ("credential_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "passkeys" ADD CONSTRAINT "FK_02227b9a8a34a808e3e23800b00" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE TABLE "used_passkey_challenges" ("nonce" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_eb833c2e9033ad63a0a7343054c" PRIMARY KEY ("nonce"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "used_passkey_challenges_expires_at_idx" ON "used_passkey_challenges"  ("expires_at") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."used_passkey_challenges_expires_at_idx"`);
    await queryRunner.query(`DROP TABLE "used_passkey_challenges"`);
    await queryRunner.query(
      `ALTER TABLE "passkeys" DROP CONSTRAINT "FK_02227b9a8a34a808e3e23800b00"`,
    );
    await queryRunner.query(`DROP INDEX "public"."passkeys_credential_id_key"`);
    await queryRunner.query(`DROP INDEX "public"."passkeys_user_id_idx"`);
    await queryRunner.query(`DROP TABLE "passkeys"`);
  }
}
