import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { API_ROLE } from '../../core/database/api-role.js';

/**
 * The organisation's activity log: a tenant table like the others, written in the transaction of
 * each change. Its retention deletes across organisations, which no tenant policy allows: a policy
 * of its own lets a DELETE that reads no column remove only rows older than the retention the
 * transaction sets (`app.retention_days`, one day at least), and nothing else.
 */
export class OrganisationEvents1797100000003 implements MigrationInterface {
  name = 'OrganisationEvents1797100000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE organisation_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        type text NOT NULL,
        actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
        details jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE INDEX organisation_events_org_id_created_at_idx ON organisation_events (org_id, created_at DESC, id DESC)',
    );
    await queryRunner.query('ALTER TABLE organisation_events ENABLE ROW LEVEL SECURITY');
    await queryRunner.query('ALTER TABLE organisation_events FORCE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY organisation_events_tenant ON organisation_events TO ${API_ROLE}
        USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id())`);
    await queryRunner.query(`
      CREATE POLICY organisation_events_retention ON organisation_events FOR DELETE TO ${API_ROLE}
        USING (created_at < now() - make_interval(days => greatest(1,
          coalesce(nullif(current_setting('app.retention_days', true), '')::int, 36500))))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE organisation_events');
  }
}
