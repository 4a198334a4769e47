/** The database commands (see USAGE). */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { Config } from '../config/config.js';
import { loadDotEnv } from '../config/dotenv.js';
import { parseEnv } from '../config/env.js';
import { dataSourceOptions, entityGlob } from './data-source.js';
import { resolveDatabase } from './database.js';
import { DEMO_USER, seedDemoUser } from './seed.js';

const USAGE = `
The database commands, run from apps/api:
  pnpm db:migrate                   apply pending migrations
  pnpm db:revert                    undo the last one
  pnpm db:migration:generate Name   write a migration for the entity changes, and register it
  pnpm db:seed                      create the demo user (dev only)
Uses DATABASE_URL, or the embedded PostgreSQL when it is unset.
`;
const COMMANDS = ['migrate', 'revert', 'generate', 'seed'];

const logger = pino({ level: 'info', transport: { target: 'pino-pretty' } });
const migrationsDir = join(import.meta.dirname, 'migrations');

/** SQL as a template literal, as TypeORM writes it: double quotes stay readable. */
const sqlLiteral = (sql: string) => `\`${sql.replace(/[`\\]|\$\{/g, (m) => `\\${m}`)}\``;

async function generate(dataSource: DataSource, name: string | undefined) {
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new Error('Give the migration a PascalCase name: pnpm db:migration:generate AddNotes');
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
  const indexFile = join(migrationsDir, 'index.ts');
  const index = await readFile(indexFile, 'utf8');
  await writeFile(
    indexFile,
    `import { ${className} } from './${file}.js';\n` +
      // Before the closing `];`, whether or not the list ends with a comma (Prettier adds one).
      index.replace(/,?\s*\];\s*$/, `, ${className}];\n`).replace('[, ', '['),
  );
  logger.info(`Wrote migrations/${file}.ts and registered it in migrations/index.ts`);
}

async function main() {
  const [command, name, ...rest] = process.argv.slice(2);
  if (command === '--help' || command === '-h' || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE.trim()}\n`);
    return;
  }
  if (!command || !COMMANDS.includes(command) || rest.length > 0) {
    process.stderr.write(
      `${command ? `Unknown arguments "${process.argv.slice(2).join(' ')}"` : 'No command'}: use ${COMMANDS.join(', ')} (see --help)\n`,
    );
    process.exitCode = 2;
    return;
  }
  loadDotEnv();
  const config = new Config(parseEnv());
  const database = await resolveDatabase(config, logger);
  const dataSource = new DataSource({ ...dataSourceOptions(database.url), entities: [entityGlob] });
  try {
    await dataSource.initialize();
    if (command === 'migrate') {
      const applied = await dataSource.runMigrations();
      logger.info(
        `Applied ${applied.length} migration(s)${applied.map((m) => `\n  ${m.name}`).join('')}`,
      );
    } else if (command === 'revert') {
      await dataSource.undoLastMigration();
      logger.info('Reverted the last migration');
    } else if (command === 'generate') {
      await generate(dataSource, name);
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
