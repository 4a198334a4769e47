import { DataSource } from 'typeorm';
import { dataSourceOptions, entityGlob } from './src/core/database/data-source.js';
const port = process.argv[2];
const ds = new DataSource({ ...dataSourceOptions(`postgres://postgres:postgres@127.0.0.1:${port}/app`), entities: [entityGlob] });
await ds.initialize();
console.log('applied', (await ds.runMigrations()).map((m) => m.name));
const { upQueries } = await ds.driver.createSchemaBuilder().log();
console.log('pending schema diff:', upQueries.map((q) => q.query));
await ds.destroy();
