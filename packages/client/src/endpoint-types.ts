import { type EndpointName, type endpoints, type paginationSchema } from '@repo/contracts';
import { type z } from 'zod';
import { type RetryOptions } from './retry-policy.js';

type Def<N extends EndpointName> = (typeof endpoints)[N];

/** What an endpoint takes as its JSON body (the schema's input: defaults may be left out). */
export type EndpointBody<N extends EndpointName> =
  Def<N> extends { body: infer B extends z.ZodType } ? z.input<B> : undefined;

/** Its query parameters: every one optional (the API fills in the defaults). */
export type EndpointQuery<N extends EndpointName> =
  Def<N> extends { query: infer Q extends z.ZodType } ? Partial<z.output<Q>> : undefined;

/** Its success body, as validated by the contract; void for 202/204 endpoints. */
export type EndpointResponse<N extends EndpointName> =
  Def<N> extends { response: infer R extends z.ZodType } ? z.output<R> : void;

/** One page of a paginated list, with the total from X-Total-Count. */
export interface Page<T> {
  data: T[];
  /** How many items there are in all pages. */
  total: number;
  page: number;
  pageSize: number;
}

/** What a typed call resolves to: the response, or a `Page` for paginated lists. */
export type EndpointResult<N extends EndpointName> =
  Def<N> extends { query: typeof paginationSchema }
    ? Page<EndpointResponse<N> extends readonly (infer T)[] ? T : never>
    : EndpointResponse<N>;

/** Per-request options of every typed call. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** false: no retries for this request; or other retry settings (only idempotent methods retry). */
  retry?: boolean | Partial<RetryOptions>;
}

export interface CallInput<N extends EndpointName> extends RequestOptions {
  /** Values for the `:name` placeholders of the path. */
  params?: Record<string, string>;
  body?: EndpointBody<N>;
  query?: EndpointQuery<N>;
}

/** `/notes/:id` + `{ id: 'a b' }` → `/notes/a%20b`; throws when a placeholder has no value. */
export function buildPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '')
      throw new TypeError(`Missing path parameter :${name} for ${path}`);
    return encodeURIComponent(value);
  });
}
