import type { z } from 'zod';
import { healthSchema, readinessSchema } from './health.js';

/** Every HTTP route lives under this prefix. */
export const API_PREFIX = '/api/v1';
/** Swagger UI; the generated OpenAPI document is at `${DOCS_PATH}/openapi.json`. */
export const DOCS_PATH = '/api/docs';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Endpoint {
  method: HttpMethod;
  /** Path below API_PREFIX, with `:param` placeholders. */
  path: string;
  summary: string;
  tag: string;
  /** `bearer`: access token or API key; `none`: public. */
  auth: 'none' | 'bearer';
  body?: z.ZodType;
  query?: z.ZodType;
  /** Success status; 200 unless said. */
  status?: number;
  /** Success body; absent for 204. */
  response?: z.ZodType;
  /** Non-2xx statuses this endpoint documents besides the generic ones. */
  errors?: readonly number[];
}

/**
 * The API surface: one entry per route. The API's routes, the OpenAPI document and the typed
 * client are all checked against this table, so a route exists here or nowhere.
 */
export const endpoints = {
  health: {
    method: 'GET',
    path: '/health',
    summary: 'Liveness: the process is up',
    tag: 'health',
    auth: 'none',
    response: healthSchema,
  },
  ready: {
    method: 'GET',
    path: '/health/ready',
    summary: 'Readiness: every dependency answers (503 when one does not)',
    tag: 'health',
    auth: 'none',
    response: readinessSchema,
    errors: [503],
  },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;
