/** The database commands (see USAGE). */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { Config } from './core/config/config.js';
import { loadDotEnv } from './core/config/dotenv.js';
import { parseEnv } from './core/config/env.js';
import { dataSourceOptions, entityGlob } from './core/database/data-source.js';
import { resolveDatabase } from './core/database/database.js';
import { installJobSchema } from './core/jobs/job-schema.js';
import { DEMO_USER, seedDemoUser } from './core/database/seed.js';
import { migrations } from './migrations.gen.js';

const USAGE = `
The database commands, run from apps/api:
  pnpm db:migrate                   apply pending migrations (and the job engine's)
  pnpm db:revert                    undo the last one
  pnpm db:migration:generate feature Name
                                    write a migration for the entity changes in
                                    src/<feature>/migrations/, and list it in migrations.gen.ts
  pnpm db:seed                      create the demo user (dev only)
Uses DATABASE_URL, or the embedded PostgreSQL when it is unset.
`;
const COMMANDS = ['migrate', 'revert', 'generate', 'seed'];

const logger = pino({ level: 'info', transport: { target: 'pino-pretty' } });

/** SQL as a template literal, as TypeORM writes it: double quotes stay readable. */
const sqlLiteral = (sql: string) => `\`${sql.replace(/[`\\]|\$\{/g, (m) => `\\${m}`)}\``;

async function generate(
  dataSource: DataSource,
  feature: string | undefined,
  name: string | undefined,
) {
  const featureDir = join(import.meta.dirname, feature ?? '');
  if (
    !feature ||
    !/^[a-z][a-z0-9-]*(\/[a-z][a-z0-9-]*)*$/.test(feature) ||
    !existsSync(featureDir)
  ) {
    throw new Error('Name the feature folder of src/: pnpm db:migration:generate notes AddNotes');
  }
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new Error(
      'Give the migration a PascalCase name: pnpm db:migration:generate notes AddNotes',
    );
  }
  const { upQueries, downQueries } = await dataSource.driver.createSchemaBuilder().log();
  if (upQueries.length === 0) {
    logger.info('The entities match the database: no migration needed');
    return;
  }
  const timestamp = Date.now();
  const className = `${name}${timestamp}`;
  const file = `${timestamp}-${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
  const lines = (queries: { query: string; parameters?: unknown[] }[]) =>
    queries
      .map(
        (q) =>
          `    await queryRunner.query(${sqlLiteral(q.query)}${q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : ''});`,
      )
      .join('\n');
  const migrationsDir = join(featureDir, 'migrations');
  await mkdir(migrationsDir, { recursive: true });
  await writeFile(
    join(migrationsDir, `${file}.ts`),
    `import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(upQueries)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines(downQueries.reverse())}
  }
}
`,
  );
  // The list of migrations is generated from the migrations folders (scripts/feature-indexes.ts).
  execFileSync(
    process.execPath,
    [join(import.meta.dirname, '../../../scripts/feature-indexes.ts')],
    {
      stdio: 'inherit',
    },
  );
  logger.info(`Wrote ${feature}/migrations/${file}.ts`);
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if ([command, ...args].some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${USAGE.trim()}\n`);
    return;
  }
  // Only generate takes arguments: the feature folder and the migration's name.
  if (!command || !COMMANDS.includes(command) || args.length > (command === 'generate' ? 2 : 0)) {
    process.stderr.write(
      `${command ? `Unknown arguments "${process.argv.slice(2).join(' ')}"` : 'No command'}: use ${COMMANDS.join(', ')} (see --help)\n`,
    );
    process.exitCode = 2;
    return;
  }
  loadDotEnv();
  const config = new Config(parseEnv());
  const database = await resolveDatabase(config, logger);
  const dataSource = new DataSource({
    ...dataSourceOptions(database.url, migrations),
    entities: [entityGlob],
  });
  try {
    await dataSource.initialize();
    if (command === 'migrate') {
      const applied = await dataSource.runMigrations();
      logger.info(
        `Applied ${applied.length} migration(s)${applied.map((m) => `\n  ${m.name}`).join('')}`,
      );
      // The job engine's own schema, up to the installed graphile-worker's version.
      await installJobSchema(database.url, (message) => logger.warn(message));
    } else if (command === 'revert') {
      await dataSource.undoLastMigration();
      logger.info('Reverted the last migration');
    } else if (command === 'generate') {
      await generate(dataSource, args[0], args[1]);
    } else if (command === 'seed') {
      if (config.isProduction)
        throw new Error('The demo user is for development: not seeding production.');
      await dataSource.runMigrations();
      const created = await seedDemoUser(dataSource);
      logger.info(
        `${created ? 'Created' : 'Kept'} the demo user: ${DEMO_USER.email} / ${DEMO_USER.password}`,
      );
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  logger.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
