import { z } from 'zod';
import { type Endpoint, API_PREFIX, endpoints } from './endpoints.js';
import { PROBLEM_CONTENT_TYPE, problemDetailsSchema } from './problem.js';

type JsonSchema = Record<string, unknown>;

const toJsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, id: _id, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
};

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
});

/** `/notes/:id` → `/notes/{id}` */
const openApiPath = (path: string) => API_PREFIX + path.replace(/:(\w+)/g, '{$1}');

const operation = (name: string, e: Endpoint) => {
  const status = String(e.status ?? (e.response ? 200 : 204));
  const params = [...e.path.matchAll(/:(\w+)/g)].map(([, param]) => ({
    name: param,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = e.query ? toJsonSchema(e.query, 'input') : undefined;
  const queryProps = (query?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((query?.required as string[] | undefined) ?? []);
  return {
    operationId: name,
    summary: e.summary,
    tags: [e.tag],
    ...(e.auth === 'bearer' ? { security: [{ bearer: [] }, { apiKey: [] }] } : {}),
    parameters: [
      ...params,
      ...Object.entries(queryProps).map(([key, schema]) => ({
        name: key,
        in: 'query',
        required: required.has(key),
        schema,
      })),
    ],
    ...(e.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: toJsonSchema(e.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [status]: e.response
        ? {
            description: 'Success',
            content: { 'application/json': { schema: toJsonSchema(e.response, 'output') } },
          }
        : { description: 'Success, no content' },
      ...Object.fromEntries((e.errors ?? []).map((s) => [String(s), problemResponse('Error')])),
      '4XX': problemResponse('Client error (problem details)'),
      '5XX': problemResponse('Server error (problem details)'),
    },
  };
};

/** The OpenAPI 3.1 document of the whole API, generated from the endpoint table. */
export function buildOpenApiDocument(info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, endpoint] of Object.entries(endpoints) as [string, Endpoint][]) {
    const path = openApiPath(endpoint.path);
    paths[path] = { ...paths[path], [endpoint.method.toLowerCase()]: operation(name, endpoint) };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { ProblemDetails: toJsonSchema(problemDetailsSchema, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
  };
}
