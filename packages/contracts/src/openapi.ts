import { z } from 'zod';
import { type Access, type Endpoint, API_PREFIX, successStatus } from './endpoint.js';
import { REFRESH_COOKIE } from './auth.js';
import { PROBLEM_CONTENT_TYPE, problemDetailsSchema } from './problem.js';

type JsonSchema = Record<string, unknown>;

const ref = (id: string) => `#/components/schemas/${id}`;

/** Every contract schema with an `id`, as OpenAPI components, once as read and once as written. */
const componentsFor = (io: 'input' | 'output') =>
  z.toJSONSchema(z.globalRegistry, { io, uri: ref, unrepresentable: 'any' }).schemas as Record<
    string,
    JsonSchema
  >;

const idOf = (schema: z.ZodType, where: string): string => {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error(`${where}: give the schema an id with .meta({ id: 'Name' })`);
  return id;
};

/** The security requirement of an access rule (public: none). */
const securityOf = (access: Access): Record<string, string[]>[] | undefined => {
  if (access === 'public') return undefined;
  if (access === 'session') return [{ bearer: [] }];
  if (access === 'refresh-cookie') return [{ refreshCookie: [] }];
  return [{ bearer: [] }, { apiKey: [access.apiKey] }];
};

const problemResponse = (description: string) => ({
  description,
  content: {
    [PROBLEM_CONTENT_TYPE]: { schema: { $ref: ref(idOf(problemDetailsSchema, 'problem')) } },
  },
});

/** `/notes/:id` → `/notes/{id}` */
const openApiPath = (path: string) => API_PREFIX + path.replace(/:(\w+)/g, '{$1}');

/** The JSON Schema of each `:param` of a path: from the params schema, else any string. */
function pathParameters(e: Endpoint) {
  const declared = e.params
    ? ((z.toJSONSchema(e.params, { io: 'input', unrepresentable: 'any' }).properties ??
        {}) as Record<string, JsonSchema>)
    : {};
  return [...e.path.matchAll(/:(\w+)/g)].map(([, param]) => ({
    name: param!,
    in: 'path',
    required: true,
    schema: declared[param!] ?? { type: 'string' },
  }));
}

function operation(e: Endpoint, inputs: Record<string, JsonSchema>, inputIds: Set<string>) {
  const name = e.id;
  const status = String(successStatus(e));
  const pathParams = pathParameters(e);
  const query = e.query ? inputs[idOf(e.query, `${name}.query`)] : undefined;
  const required = new Set((query?.required as string[] | undefined) ?? []);
  const queryParams = Object.entries((query?.properties ?? {}) as Record<string, JsonSchema>).map(
    ([key, schema]) => ({ name: key, in: 'query', required: required.has(key), schema }),
  );
  const bodyId = e.body ? idOf(e.body, `${name}.body`) : undefined;
  if (bodyId) inputIds.add(bodyId);
  return {
    operationId: name,
    summary: e.summary,
    tags: [e.tag],
    ...(securityOf(e.access) ? { security: securityOf(e.access) } : {}),
    parameters: [...pathParams, ...queryParams],
    ...(bodyId
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: ref(`${bodyId}Input`) } } },
          },
        }
      : {}),
    responses: {
      [status]: e.response
        ? {
            description: 'Success',
            content: {
              'application/json': { schema: { $ref: ref(idOf(e.response, `${name}.response`)) } },
            },
          }
        : successStatus(e) >= 300
          ? {
              description: 'Redirect: the browser goes on to Location',
              headers: { Location: { required: true, schema: { type: 'string', format: 'uri' } } },
            }
          : { description: 'Success, no content' },
      ...Object.fromEntries((e.errors ?? []).map((s) => [String(s), problemResponse('Error')])),
      '4XX': problemResponse('Client error (problem details)'),
      '5XX': problemResponse('Server error (problem details)'),
    },
  };
}

/** The OpenAPI 3.1 document of the given endpoints (the API passes the ones it serves). */
export function buildOpenApiDocument(
  info: { title: string; version: string },
  endpoints: readonly Endpoint[],
) {
  const outputs = componentsFor('output');
  const inputs = componentsFor('input');
  const inputIds = new Set<string>();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of endpoints) {
    const path = openApiPath(endpoint.path);
    paths[path] = {
      ...paths[path],
      [endpoint.method.toLowerCase()]: operation(endpoint, inputs, inputIds),
    };
  }
  const requestBodies = Object.fromEntries([...inputIds].map((id) => [`${id}Input`, inputs[id]!]));
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { ...outputs, ...requestBodies },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        refreshCookie: { type: 'apiKey', in: 'cookie', name: REFRESH_COOKIE },
      },
    },
  };
}
