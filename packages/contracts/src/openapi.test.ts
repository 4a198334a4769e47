import { describe, expect, it } from 'vitest';
import { contract } from './contract.js';
import { API_PREFIX, endpointsOf } from './endpoint.js';
import { buildOpenApiDocument } from './openapi.js';
import { PROBLEMS, problemDetailsSchema } from './problem.js';

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument(
    {
      title: 'API',
      version: '1.0.0',
      description: 'Test',
      license: { name: 'MIT', identifier: 'MIT' },
      contact: { name: 'Test' },
    },
    endpointsOf(contract),
  );

  it('has one operation per endpoint, under the API prefix', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const expected = endpointsOf(contract).map(
      (e) => `${e.method} ${API_PREFIX}${e.path.replace(/:(\w+)/g, '{$1}')}`,
    );
    expect(operations.sort()).toEqual(expected.sort());
  });

  it('shows the permission of each organisation-scoped operation, and the roles that have it', () => {
    const invite = doc.paths[`${API_PREFIX}/orgs/{orgId}/invitations`]?.post as {
      'x-permission'?: string;
      description: string;
    };
    expect(invite['x-permission']).toBe('members:invite');
    expect(invite.description).toContain(
      '`members:invite` permission in the organisation: owner, admin.',
    );
    const list = doc.paths[`${API_PREFIX}/orgs`]?.get as { 'x-permission'?: string };
    expect(list['x-permission']).toBeUndefined();
  });

  it('describes bodies as JSON Schema components generated from the zod contracts', () => {
    const ready = doc.paths[`${API_PREFIX}/health/ready`]?.get as {
      responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }>;
    };
    expect(ready.responses['200']?.content?.['application/json']?.schema.$ref).toBe(
      '#/components/schemas/Readiness',
    );
    expect(ready.responses['503']).toBeDefined();
    expect(doc.components.schemas.Readiness?.required).toEqual(
      expect.arrayContaining(['status', 'checks', 'version', 'timestamp']),
    );
  });

  it('names each operation feature.name and states its access rule', () => {
    const revoke = doc.paths[`${API_PREFIX}/api-keys/{id}`]?.delete as {
      operationId: string;
      security: unknown;
      parameters: { name: string; schema: { format?: string } }[];
    };
    expect(revoke.operationId).toBe('apiKeys.revoke');
    expect(revoke.security).toEqual([{ bearer: [] }]);
    expect(revoke.parameters[0]).toMatchObject({ name: 'id', schema: { format: 'uuid' } });
    const me = doc.paths[`${API_PREFIX}/users/me`]?.get as { security: unknown };
    expect(me.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(
      (doc.paths[`${API_PREFIX}/users/me`]?.get as { description: string }).description,
    ).toContain('the `read` scope');
    expect(doc.paths[`${API_PREFIX}/health`]?.get).toHaveProperty('security', []);
  });

  it('gives every request body an example that its own schema accepts', () => {
    const bodies = endpointsOf(contract).filter((e) => e.body);
    expect(bodies.length).toBeGreaterThan(0);
    for (const e of bodies) {
      const op = doc.paths[`${API_PREFIX}${e.path.replace(/:(\w+)/g, '{$1}')}`]?.[
        e.method.toLowerCase()
      ] as { requestBody: { content: Record<string, { example?: unknown }> } };
      const example = op.requestBody.content['application/json']?.example;
      expect(example, e.id).toBeDefined();
      expect(e.body!.safeParse(example).success, e.id).toBe(true);
    }
  });

  it('resolves every $ref inside the document', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.length).toBeGreaterThan(0);
    for (const id of refs) expect(doc.components.schemas, id).toHaveProperty(id);
    expect(JSON.stringify(doc)).not.toContain('#/$defs');
  });
});

describe('problem codes', () => {
  it('gives every code a 4xx or 5xx status and a title', () => {
    for (const [code, { status, title }] of Object.entries(PROBLEMS)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      expect(title.length, code).toBeGreaterThan(0);
    }
  });

  it('rejects a problem body with an unknown code', () => {
    const body = {
      type: 'urn:problem:nope',
      title: 'x',
      status: 400,
      instance: '/x',
      code: 'nope',
      requestId: 'r',
      timestamp: new Date().toISOString(),
    };
    expect(problemDetailsSchema.safeParse(body).success).toBe(false);
    expect(problemDetailsSchema.safeParse({ ...body, code: 'bad_request' }).success).toBe(true);
  });
});
