import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { API_ROLE } from '../../core/database/api-role.js';

/**
 * Organisations and their members, isolated by row-level security (docs/organisations.md):
 * - the API's role sees an organisation and its memberships only in a transaction that names it
 *   (app_org_id()), and, to list a user's own, their memberships and those organisations
 *   (app_user_id());
 * - an organisation always keeps an owner, checked at commit under a lock on the organisation,
 *   so two concurrent demotions cannot both pass; one whose last member leaves is deleted;
 * - every user gets a personal organisation they own, made with the user row itself (existing
 *   users too).
 */
export class Organisations1797100000001 implements MigrationInterface {
  name = 'Organisations1797100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE organisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        slug citext NOT NULL CONSTRAINT organisations_slug_key UNIQUE
          CONSTRAINT organisations_slug_check CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 48),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE memberships (
        org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role text NOT NULL CONSTRAINT memberships_role_check CHECK (role IN ('owner', 'admin', 'member')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (org_id, user_id)
      )`);
    await queryRunner.query('CREATE INDEX memberships_user_id_idx ON memberships (user_id)');

    for (const table of ['organisations', 'memberships']) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    }
    await queryRunner.query(`
      CREATE POLICY memberships_tenant ON memberships TO ${API_ROLE}
        USING (org_id = app_org_id()) WITH CHECK (org_id = app_org_id())`);
    await queryRunner.query(`
      CREATE POLICY memberships_own ON memberships FOR SELECT TO ${API_ROLE}
        USING (user_id = app_user_id())`);
    await queryRunner.query(`
      CREATE POLICY organisations_tenant ON organisations TO ${API_ROLE}
        USING (id = app_org_id()) WITH CHECK (id = app_org_id())`);
    await queryRunner.query(`
      CREATE POLICY organisations_own ON organisations FOR SELECT TO ${API_ROLE}
        USING (EXISTS (SELECT FROM memberships m WHERE m.org_id = organisations.id AND m.user_id = app_user_id()))`);

    // Runs at commit, when an owner was demoted or removed; sets the organisation for its own
    // statements (and puts back the caller's), so the rule holds whoever made the change, through
    // a cascade from users too. An organisation left with no member at all goes, with its data.
    await queryRunner.query(`
      CREATE FUNCTION memberships_keep_an_owner() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        caller text := current_setting('app.org_id', true);
        org uuid := OLD.org_id;
        members int;
        owners int;
      BEGIN
        PERFORM set_config('app.org_id', org::text, true);
        PERFORM FROM organisations WHERE id = org FOR UPDATE;
        IF FOUND THEN
          SELECT count(*), count(*) FILTER (WHERE role = 'owner') INTO members, owners
            FROM memberships WHERE org_id = org;
          IF members = 0 THEN
            DELETE FROM organisations WHERE id = org;
          END IF;
        END IF;
        PERFORM set_config('app.org_id', coalesce(caller, ''), true);
        IF members > 0 AND owners = 0 THEN
          RAISE EXCEPTION 'Organisation % would be left without an owner', org
            USING ERRCODE = 'P0001', CONSTRAINT = 'memberships_last_owner';
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER memberships_last_owner
        AFTER UPDATE OF role OR DELETE ON memberships
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW WHEN (OLD.role = 'owner')
        EXECUTE FUNCTION memberships_keep_an_owner()`);

    // Each API instance caches a member's role (access/access-cache.ts): a change or removal
    // drops it everywhere, at commit, a cascade's too.
    await queryRunner.query(`
      CREATE FUNCTION notify_membership_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('access_changed', 'memberships:' || OLD.org_id || ':' || OLD.user_id);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER memberships_access_changed AFTER UPDATE OR DELETE ON memberships
        FOR EACH ROW EXECUTE FUNCTION notify_membership_changed()`);

    // The personal organisation: named after the user, its slug from the email's local part and
    // a random suffix (unique without a retry loop).
    await queryRunner.query(`
      CREATE FUNCTION create_personal_organisation(owner uuid, name text, email text)
        RETURNS uuid LANGUAGE plpgsql AS $$
      DECLARE
        caller text := current_setting('app.org_id', true);
        org uuid := gen_random_uuid();
        base text := trim(both '-' from left(regexp_replace(lower(split_part(email, '@', 1)), '[^a-z0-9]+', '-', 'g'), 32));
      BEGIN
        PERFORM set_config('app.org_id', org::text, true);
        INSERT INTO organisations (id, name, slug)
          VALUES (org, name, concat_ws('-', nullif(base, ''), substr(md5(random()::text), 1, 8)));
        INSERT INTO memberships (org_id, user_id, role) VALUES (org, owner, 'owner');
        PERFORM set_config('app.org_id', coalesce(caller, ''), true);
        RETURN org;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION users_personal_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM create_personal_organisation(NEW.id, NEW.name, NEW.email::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER users_personal_organisation AFTER INSERT ON users
        FOR EACH ROW EXECUTE FUNCTION users_personal_organisation()`);
    // Existing users: the same, as if each had just signed up.
    await queryRunner.query(
      'SELECT create_personal_organisation(id, name, email::text) FROM users ORDER BY created_at',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER users_personal_organisation ON users');
    await queryRunner.query('DROP FUNCTION users_personal_organisation()');
    await queryRunner.query('DROP FUNCTION create_personal_organisation(uuid, text, text)');
    await queryRunner.query('DROP TABLE memberships');
    await queryRunner.query('DROP FUNCTION notify_membership_changed()');
    await queryRunner.query('DROP FUNCTION memberships_keep_an_owner()');
    await queryRunner.query('DROP TABLE organisations');
  }
}
