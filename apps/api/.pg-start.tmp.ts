import { startEmbeddedPostgres } from './src/core/database/embedded-postgres.js';
const c = await startEmbeddedPostgres({ dir: '/tmp/mailgen-pg-cEVi/data', port: 43777, database: 'app' });
console.log('started', c.url);
process.on('SIGTERM', () => { void c.stop().then(() => process.exit(0)); });
setInterval(() => undefined, 60_000);
