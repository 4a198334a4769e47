import { z } from 'zod';
import { type Access } from './access.js';
import { type Endpoint, API_PREFIX, successStatus } from './endpoint.js';
import { REFRESH_COOKIE } from './identity.js';
import { problemsOf } from './endpoint-problems.js';
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEMS,
  type ProblemCode,
  problemDetailsSchema,
} from './problem.js';
import { can, ORG_ROLES } from './permissions.js';
import { REAUTH_WINDOW_MINUTES } from './reauth-proof.js';

type JsonSchema = Record<string, unknown>;

/** What the document says of the API itself. */
export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
  license: { name: string; identifier: string };
  contact: { name: string; url?: string; email?: string };
}

const ref = (id: string) => `#/components/schemas/${id}`;

/**
 * Every contract schema with an `id`, as OpenAPI components, as read or as written. zod names
 * each one with `$id`; a component is named by its key, and a fragment `$id` is not valid JSON
 * Schema, so it goes.
 */
function componentsFor(io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { io, uri: ref, unrepresentable: 'any' });
  return Object.fromEntries(
    Object.entries(schemas as Record<string, JsonSchema>).map(([id, { $id: _, ...schema }]) => [
      id,
      schema,
    ]),
  );
}

const idOf = (schema: z.ZodType, where: string): string => {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error(`${where}: give the schema an id with .meta({ id: 'Name' })`);
  return id;
};

/** The security requirement of an access rule: none at all for public endpoints. */
const securityOf = (access: Access): Record<string, string[]>[] => {
  if (access === 'public') return [];
  if (access === 'session') return [{ bearer: [] }];
  if (access === 'refresh-cookie') return [{ refreshCookie: [] }];
  // The scope is in the description: Spectral takes only OAuth scopes here, not API-key roles.
  return [{ bearer: [] }, { apiKey: [] }];
};

/** The access rule and the session effect in words: what a reader of the docs must know. */
function describe(e: Endpoint): string {
  const access =
    e.access === 'public'
      ? 'Public.'
      : e.access === 'session'
        ? 'Needs an access token (`Authorization: Bearer`).'
        : e.access === 'refresh-cookie'
          ? `Needs the refresh token: the \`${REFRESH_COOKIE}\` cookie with the \`X-Requested-With\` header (browsers), or \`refreshToken\` in the body (native clients).`
          : `Needs an access token, or an API key (\`X-API-Key\`) with the \`${e.access.apiKey}\` scope.`;
  const session =
    e.session === 'starts'
      ? ' Starts a session: browsers get the refresh token as an httpOnly cookie, native clients in the body.'
      : e.session === 'renews'
        ? ' Renews the session: a new access token, and a new refresh token (the cookie replaced, or in the body for native clients); the previous refresh token is used up.'
        : e.session === 'ends'
          ? ' Ends the session and clears the refresh cookie.'
          : '';
  const reauth = e.reauth
    ? ` A sensitive change: the session must have signed in or re-authenticated (\`POST /auth/reauth\`) within the last ${REAUTH_WINDOW_MINUTES} minutes, else 403 \`reauth_required\` naming the proofs accepted.`
    : '';
  const permission = e.permission
    ? ` Needs the \`${e.permission}\` permission in the organisation: ${ORG_ROLES.filter((role) => can(role, e.permission!)).join(', ')}.`
    : '';
  return `${e.summary}. ${access}${permission}${session}${reauth}`;
}

const problemResponse = (description: string) => ({
  description,
  content: {
    [PROBLEM_CONTENT_TYPE]: { schema: { $ref: ref(idOf(problemDetailsSchema, 'problem')) } },
  },
});

/**
 * One response for each status among the endpoint's problems (problemsOf), its description and
 * its schema's `code` naming the codes it can carry.
 */
function problemResponses(e: Endpoint) {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of problemsOf(e)) {
    const status = PROBLEMS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, codes]) => [
        String(status),
        {
          description: codes.map((code) => `\`${code}\``).join(', '),
          content: {
            [PROBLEM_CONTENT_TYPE]: {
              schema: {
                allOf: [
                  { $ref: ref(idOf(problemDetailsSchema, 'problem')) },
                  { type: 'object', properties: { code: { enum: codes } } },
                ],
              },
            },
          },
        },
      ]),
  );
}

/** `/notes/:id` → `/api/v1/notes/{id}` */
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

/** The names of the components a value refers to, directly. */
const refsIn = (value: unknown): string[] =>
  [...JSON.stringify(value).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
    (m) => m[1]!,
  );

/**
 * Request bodies are the written form of their schema: a component of their own (`NameInput`)
 * only where it differs from the read form (defaults, transforms).
 */
class Components {
  readonly outputs = componentsFor('output');
  readonly inputs = componentsFor('input');
  private readonly written = new Map<string, string>();

  /** The component of a request body schema, and the example it carries. */
  body(id: string): { name: string; example: unknown } {
    const input = this.inputs[id]!;
    const same = JSON.stringify(input) === JSON.stringify(this.outputs[id]);
    const name = same ? id : `${id}Input`;
    if (!same) this.written.set(name, id);
    return { name, example: (input.examples as unknown[] | undefined)?.[0] };
  }

  /** Only the components the operations use, and what those use in turn. */
  used(operations: unknown): Record<string, JsonSchema> {
    const all: Record<string, JsonSchema> = { ...this.outputs };
    for (const [name, id] of this.written) all[name] = this.inputs[id]!;
    const used: Record<string, JsonSchema> = {};
    const pending = refsIn(operations);
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (used[name] || !all[name]) continue;
      used[name] = all[name];
      pending.push(...refsIn(all[name]));
    }
    return Object.fromEntries(Object.entries(used).sort(([a], [b]) => a.localeCompare(b)));
  }
}

function operation(e: Endpoint, components: Components) {
  const name = e.id;
  const status = String(successStatus(e));
  const query = e.query ? components.inputs[idOf(e.query, `${name}.query`)] : undefined;
  const required = new Set((query?.required as string[] | undefined) ?? []);
  const queryParams = Object.entries((query?.properties ?? {}) as Record<string, JsonSchema>).map(
    ([key, schema]) => ({ name: key, in: 'query', required: required.has(key), schema }),
  );
  const body = e.body ? components.body(idOf(e.body, `${name}.body`)) : undefined;
  return {
    operationId: name,
    summary: e.summary,
    description: describe(e),
    tags: [e.tag],
    security: securityOf(e.access),
    ...(e.permission ? { 'x-permission': e.permission } : {}),
    parameters: [...pathParameters(e), ...queryParams],
    ...(body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: ref(body.name) },
                ...(body.example === undefined ? {} : { example: body.example }),
              },
            },
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
      ...problemResponses(e),
      // A redirect is the one success of its endpoint; anything else is a problem.
      ...(successStatus(e) >= 300
        ? { default: problemResponse('Not a redirect: an error (problem details)') }
        : {
            '4XX': problemResponse('Client error (problem details)'),
            '5XX': problemResponse('Server error (problem details)'),
          }),
    },
  };
}

/** The OpenAPI 3.1 document of the given endpoints (the API passes the ones it serves). */
export function buildOpenApiDocument(info: OpenApiInfo, endpoints: readonly Endpoint[]) {
  const components = new Components();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of endpoints) {
    const path = openApiPath(endpoint.path);
    paths[path] = {
      ...paths[path],
      [endpoint.method.toLowerCase()]: operation(endpoint, components),
    };
  }
  const tags = [
    ...new Map(
      endpoints.map((e) => [e.tag, { name: e.tag, description: e.tagDescription }]),
    ).values(),
  ];
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/', description: 'The origin that serves this document' }],
    tags,
    paths,
    components: {
      schemas: components.used(paths),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        refreshCookie: { type: 'apiKey', in: 'cookie', name: REFRESH_COOKIE },
      },
    },
  };
}
