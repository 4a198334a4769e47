import type { z } from 'zod';

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
  /**
   * `none`: public. `bearer`: an access token. `bearer-or-api-key`: an access token or an
   * `X-API-Key`. `refresh-cookie`: the refresh token (httpOnly cookie, or body for native clients).
   */
  auth: 'none' | 'bearer' | 'bearer-or-api-key' | 'refresh-cookie';
  /** Every body schema needs `.meta({ id })`: it becomes an OpenAPI component. */
  body?: z.ZodType;
  query?: z.ZodType;
  /** Success status; 200 unless said (204 when there is no response body). */
  status?: number;
  /** Success body; absent for 204. */
  response?: z.ZodType;
  /** Non-2xx statuses this endpoint documents besides the generic ones. */
  errors?: readonly number[];
  /** Served only outside production. */
  devOnly?: boolean;
}

/** Types a feature's endpoint table while keeping its literal keys. */
export const defineEndpoints = <const T extends Record<string, Endpoint>>(table: T): T => table;
