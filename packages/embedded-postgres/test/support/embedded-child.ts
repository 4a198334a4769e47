// Started by recovery.test.ts: starts a cluster, says so, then waits to be killed.
import { startEmbeddedPostgres } from '../../src/embedded-postgres.js';

const [dir, port] = process.argv.slice(2);
const cluster = await startEmbeddedPostgres({ dir: dir!, port: Number(port), database: 'app' });
process.stdout.write(`READY ${cluster.url}\n`);
setInterval(() => undefined, 60_000);
