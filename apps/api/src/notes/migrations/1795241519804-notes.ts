import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class Notes1795241519804 implements MigrationInterface {
  name = 'Notes1795241519804';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "body" text NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_af6206538ea96c4e77e9f400c3d" PRIMARY KEY ("id"))`,
    );
    // By hand: TypeORM cannot declare a DESC index column (the entity marks it synchronize: false).
    await queryRunner.query(
      `CREATE INDEX "notes_owner_id_updated_at_idx" ON "notes" ("owner_id", "updated_at" DESC)`,
    );
    await queryRunner.query(
      `ALTER TABLE "notes" ADD CONSTRAINT "FK_f9e103f8ae67cb1787063597925" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notes" DROP CONSTRAINT "FK_f9e103f8ae67cb1787063597925"`);
    await queryRunner.query(`DROP INDEX "public"."notes_owner_id_updated_at_idx"`);
    await queryRunner.query(`DROP TABLE "notes"`);
  }
}
