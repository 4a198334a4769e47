import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The rows the AccessCache holds, and the column its keys use (see access/access-cache.ts). */
const WATCHED = [
  ['users', 'id'],
  ['sessions', 'id'],
  ['api_keys', 'prefix'],
] as const;

/**
 * Every update or delete of a user, session or API key row notifies `access_changed` with
 * `<table>:<key>`, at commit, whoever makes it (the API, the worker, an operator in psql): each API
 * instance drops that entry from its cache. Row triggers also fire for the rows a cascade deletes.
 */
export class AccessChanges1796700000000 implements MigrationInterface {
  name = 'AccessChanges1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('access_changed', TG_TABLE_NAME || ':' || (to_jsonb(OLD) ->> TG_ARGV[0]));
        RETURN NULL;
      END $$`);
    for (const [table, key] of WATCHED) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_access_changed" AFTER UPDATE OR DELETE ON "${table}"
           FOR EACH ROW EXECUTE FUNCTION notify_access_changed('${key}')`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of WATCHED) {
      await queryRunner.query(`DROP TRIGGER "${table}_access_changed" ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION notify_access_changed()`);
  }
}
