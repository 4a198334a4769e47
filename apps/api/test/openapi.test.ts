import { API_PREFIX, contract, endpointsOf } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redoclyFindings, spectralFindings } from './support/openapi-lint.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('OpenAPI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves the document generated from the contracts', async () => {
    const res = await fetch(`${t.origin}/api/docs/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain(`${API_PREFIX}/health/ready`);
  });

  it('passes Redocly’s recommended rules and Spectral’s spectral:oas ruleset without a finding', async () => {
    const doc = (await (await fetch(`${t.origin}/api/docs/openapi.json`)).json()) as object;
    expect(await redoclyFindings(doc)).toEqual([]);
    expect(await spectralFindings(doc)).toEqual([]);
  });

  it('has no two components alike', async () => {
    const doc = (await (await fetch(`${t.origin}/api/docs/openapi.json`)).json()) as {
      components: { schemas: Record<string, unknown> };
    };
    const bodies = Object.values(doc.components.schemas).map((s) => JSON.stringify(s));
    expect(bodies.length).toBeGreaterThan(10);
    expect(new Set(bodies).size).toBe(bodies.length);
  });

  it('serves the Swagger UI page', async () => {
    const res = await fetch(`${t.origin}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('swagger');
  });

  it('lists exactly the bound endpoints, each under its feature.name', async () => {
    const doc = (await (await fetch(`${t.origin}/api/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const operations = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).map((op) => op.operationId),
    );
    expect(operations.sort()).toEqual(
      endpointsOf(contract)
        .map((e) => e.id)
        .sort(),
    );
  });

  it('has every route the app serves in the endpoint table, and no other', () => {
    const table = endpointsOf(contract).map((e) => `${e.method} ${API_PREFIX}${e.path}`);
    const served = t.routes.filter(
      (r) => /^(GET|POST|PUT|PATCH|DELETE) /.test(r) && r.includes(API_PREFIX),
    );
    expect(served.sort()).toEqual(table.sort());
  });
});
