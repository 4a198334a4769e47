import { healthSchema, readinessSchema } from '@repo/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET /health answers liveness in the contract shape', async () => {
    const res = await fetch(`${t.api}/health`);
    expect(res.status).toBe(200);
    const body = healthSchema.parse(await res.json());
    expect(body.status).toBe('ok');
    // Browser clients on another site probe it (no-cors) to diagnose a failed request.
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('GET /health/ready reports the database up with its latency', async () => {
    const res = await fetch(`${t.api}/health/ready`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = readinessSchema.parse(await res.json());
    expect(body.status).toBe('ok');
    expect(body.checks.database.status).toBe('up');
    expect(body.checks.database.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('applied the migrations to the fresh database at start', async () => {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('SELECT name FROM migrations');
      expect(rows.map((r) => r.name)).toContain('Extensions1763700000000');
      const ext = await client.query("SELECT 1 FROM pg_extension WHERE extname = 'citext'");
      expect(ext.rowCount).toBe(1);
    } finally {
      await client.end();
    }
  });
});
