import pg from 'pg';

export type Snapshot = Record<string, { rows: number; md5: string | null }>;

/**
 * Row count and content checksum of every table but the migrations' and the rate limits' (which
 * count every attempt, refused ones included), in one query: cheap enough to take after every
 * request of a fuzz run.
 */
export async function snapshotter(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables
      WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'rate_limit_hits')
      ORDER BY tablename`,
  );
  const sql = tables
    .map(({ name }) => {
      const ident = `"${name.replaceAll('"', '""')}"`;
      const literal = `'${name.replaceAll("'", "''")}'`;
      return `SELECT ${literal} AS name, count(*)::int AS rows,
                     md5(string_agg(t::text, ',' ORDER BY t::text)) AS md5
                FROM public.${ident} t`;
    })
    .join(' UNION ALL ');
  return {
    tables: tables.map((t) => t.name),
    async take(): Promise<Snapshot> {
      const { rows } = await client.query<{ name: string; rows: number; md5: string | null }>(sql);
      return Object.fromEntries(rows.map(({ name, ...rest }) => [name, rest]));
    },
    close: () => client.end(),
  };
}

/** The tables whose rows differ between two snapshots. */
export const changedTables = (before: Snapshot, after: Snapshot) =>
  Object.keys({ ...before, ...after }).filter(
    (name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]),
  );
