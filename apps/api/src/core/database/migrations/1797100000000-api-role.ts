import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { API_ROLE } from '../api-role.js';

/** Runs `statement` (a format() string, %s the table) on each of the job engine's tables under row-level security (its own). */
const onEngineTables = (statement: string) => `
  DO $$ DECLARE engine_table regclass;
  BEGIN
    FOR engine_table IN
      SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'graphile_worker' AND c.relkind = 'r' AND c.relrowsecurity
    LOOP
      EXECUTE format('${statement}', engine_table);
    END LOOP;
  END $$`;

/**
 * The API's role (see api-role.ts), with the rights to read and write every table the migrations
 * make, now and later, and the job engine's schema; and the two settings a transaction names
 * its tenant by (see docs/organisations.md). The role belongs to the cluster: created once,
 * by a login role that may create roles (a superuser in development, CI and the compose stack;
 * in production see docs/deployment.md).
 */
export class ApiRole1797100000000 implements MigrationInterface {
  name = 'ApiRole1797100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Several databases of one cluster may migrate at once (tests): the role is made once.
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${API_ROLE}') THEN
          CREATE ROLE ${API_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT pg_has_role(current_user, '${API_ROLE}', 'SET') THEN
          EXECUTE format('GRANT ${API_ROLE} TO %I', current_user);
        END IF;
      END $$`);
    for (const schema of ['public', 'graphile_worker']) {
      await queryRunner.query(`GRANT USAGE ON SCHEMA ${schema} TO ${API_ROLE}`);
      await queryRunner.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${API_ROLE}`,
      );
      await queryRunner.query(
        `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${API_ROLE}`,
      );
      await queryRunner.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${API_ROLE}`);
      await queryRunner.query(
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${API_ROLE}`,
      );
      await queryRunner.query(
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${API_ROLE}`,
      );
    }
    // The job engine guards its tables with row-level security of its own; the API queues jobs
    // in its own transactions and reads their state, as the login role did before.
    await queryRunner.query(
      onEngineTables(
        `CREATE POLICY ${API_ROLE}_engine ON %s TO ${API_ROLE} USING (true) WITH CHECK (true)`,
      ),
    );
    // The tenant of the transaction (set_config(…, true)): null when unset, so that a policy
    // comparing with it matches nothing.
    await queryRunner.query(`
      CREATE FUNCTION app_org_id() RETURNS uuid LANGUAGE sql STABLE
        AS $$ SELECT NULLIF(current_setting('app.org_id', true), '')::uuid $$`);
    await queryRunner.query(`
      CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE
        AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION app_user_id()');
    await queryRunner.query('DROP FUNCTION app_org_id()');
    await queryRunner.query(onEngineTables(`DROP POLICY IF EXISTS ${API_ROLE}_engine ON %s`));
    for (const schema of ['public', 'graphile_worker']) {
      await queryRunner.query(
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} REVOKE ALL ON TABLES FROM ${API_ROLE}`,
      );
      await queryRunner.query(
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} REVOKE ALL ON SEQUENCES FROM ${API_ROLE}`,
      );
      await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${API_ROLE}`);
      await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${API_ROLE}`);
      await queryRunner.query(`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${schema} FROM ${API_ROLE}`);
      await queryRunner.query(`REVOKE USAGE ON SCHEMA ${schema} FROM ${API_ROLE}`);
    }
  }
}
