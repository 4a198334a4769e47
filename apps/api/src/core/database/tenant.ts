import { type DataSource, type EntityManager } from 'typeorm';

export interface Tenant {
  /** The organisation whose rows the transaction may see and change. */
  orgId?: string | null;
  /** The user whose own memberships (and their organisations) it may also see. */
  userId?: string | null;
}

/**
 * Names the tenant of the transaction `manager` runs, until it ends: the row-level security
 * policies (docs/organisations.md) let the API's role see only that organisation's rows. Outside
 * a transaction naming one, a tenant table shows the API no row at all.
 */
export async function setTenant(manager: EntityManager, { orgId, userId }: Tenant): Promise<void> {
  await manager.query(
    "SELECT set_config('app.org_id', $1, true), set_config('app.user_id', $2, true)",
    [orgId ?? '', userId ?? ''],
  );
}

/** Runs `work` in a transaction of its own that names this tenant. */
export const inTenant = <T>(
  dataSource: DataSource,
  tenant: Tenant,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> =>
  dataSource.transaction(async (manager) => {
    await setTenant(manager, tenant);
    return work(manager);
  });
