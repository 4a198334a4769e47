/**
 * The database role the API's queries run under: not a superuser, no BYPASSRLS, owner of
 * nothing, so row-level security applies to every query it makes, a forgotten `WHERE` included.
 * The API logs in with DATABASE_URL (the role that runs the migrations and owns the tables) and
 * each of its pooled connections switches to this one at connect (`-c role=…`). Migrations, the
 * job engine's own connections and operator commands stay the login role.
 */
export const API_ROLE = 'app_api';

/** node-postgres settings that make a connection run as API_ROLE from its first statement. */
export const asApiRole = { options: `-c role=${API_ROLE}` } as const;
