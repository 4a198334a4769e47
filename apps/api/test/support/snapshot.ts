import pg from 'pg';

export type Snapshot = Record<string, { rows: number; md5: string | null }>;

/** How often `settled` looks, and how many looks it gives the tables to stop changing. */
const SETTLE_INTERVAL_MS = 50;
const SETTLE_LOOKS = 200;

/** The tables whose rows differ between two snapshots. */
export const changedTables = (before: Snapshot, after: Snapshot) =>
  Object.keys({ ...before, ...after }).filter(
    (name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]),
  );

/**
 * Row count and content checksum of every table but the migrations', the rate limits' (which
 * count every attempt, refused ones included) and the job workers' heartbeats, in one query: cheap enough to take around every
 * request of a walk or a fuzz run. `ignoreColumns`: columns left out of a table's checksum.
 */
export async function snapshotter(
  databaseUrl: string,
  { ignoreColumns = {} }: { ignoreColumns?: Record<string, readonly string[]> } = {},
) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables
      WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'rate_limit_hits', 'job_workers')
      ORDER BY tablename`,
  );
  const sql = tables
    .map(({ name }) => {
      const ident = `"${name.replaceAll('"', '""')}"`;
      const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
      const row = ignoreColumns[name]
        ? `(to_jsonb(t)${ignoreColumns[name].map((column) => ` - ${literal(column)}`).join('')})::text`
        : 't::text';
      return `SELECT ${literal(name)} AS name, count(*)::int AS rows,
                     md5(string_agg(${row}, ',' ORDER BY ${row})) AS md5
                FROM public.${ident} t`;
    })
    .join(' UNION ALL ');
  const take = async (): Promise<Snapshot> => {
    const { rows } = await client.query<{ name: string; rows: number; md5: string | null }>(sql);
    return Object.fromEntries(rows.map(({ name, ...rest }) => [name, rest]));
  };
  return {
    tables: tables.map((t) => t.name),
    take,
    /**
     * The tables once work still running after a response (a mail sent, an event recorded) has
     * landed: three looks in a row alike. Fails when they never stop changing.
     */
    async settled(): Promise<Snapshot> {
      let last = await take();
      for (let look = 0, alike = 0; look < SETTLE_LOOKS; look++) {
        await new Promise((resolve) => setTimeout(resolve, SETTLE_INTERVAL_MS));
        const next = await take();
        alike = changedTables(last, next).length === 0 ? alike + 1 : 0;
        if (alike === 2) return next;
        last = next;
      }
      throw new Error(`The tables kept changing for ${SETTLE_LOOKS} looks`);
    },
    close: () => client.end(),
  };
}
