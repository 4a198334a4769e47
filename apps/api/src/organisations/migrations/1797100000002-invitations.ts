import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { API_ROLE } from '../../core/database/api-role.js';

/**
 * Invitations into an organisation: a tenant table like the others (docs/organisations.md). The
 * mailed token names its organisation, so accepting it needs no look across organisations; only
 * its hash is kept. One pending invitation per address and organisation.
 */
export class Invitations1797100000002 implements MigrationInterface {
  name = 'Invitations1797100000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        email citext NOT NULL,
        role text NOT NULL CONSTRAINT invitations_role_check CHECK (role IN ('owner', 'admin', 'member')),
        token_hash text NOT NULL CONSTRAINT invitations_token_hash_key UNIQUE,
        invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
        state text NOT NULL DEFAULT 'pending'
          CONSTRAINT invitations_state_check CHECK (state IN ('pending', 'accepted', 'revoked')),
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX invitations_pending_email_key ON invitations (org_id, email)
        WHERE state = 'pending'`);
    await queryRunner.query('ALTER TABLE invitations ENABLE ROW LEVEL SECURITY');
    await queryRunner.query('ALTER TABLE invitations FORCE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY invitations_tenant ON invitations TO ${API_ROLE}
        USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE invitations');
  }
}
