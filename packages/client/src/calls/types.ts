import { type Contract, type EndpointSpec, type paginationSchema } from '@repo/contracts';
import { type z } from 'zod';
import { type RetryOptions } from '../transport/retry-policy.js';

/** Per-request options of every call. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** false: no retries for this request; or other retry settings (only idempotent methods retry). */
  retry?: boolean | Partial<RetryOptions>;
}

/** The `:name` values of the path, when the endpoint has any. */
type ParamsInput<E> = E extends { params: infer P extends z.ZodType }
  ? { params: z.input<P> }
  : { params?: never };

/** Query parameters: every one optional (the API fills in the defaults). */
type QueryInput<E> = E extends { query: infer Q extends z.ZodType }
  ? { query?: Partial<z.output<Q>> }
  : { query?: never };

/** The JSON body (the schema's input: defaults may be left out); optional when it may be empty. */
type BodyInput<E> = E extends { body: infer B extends z.ZodType }
  ? object extends z.input<B>
    ? { body?: z.input<B> }
    : { body: z.input<B> }
  : { body?: never };

/** What a call of the endpoint takes. */
export type CallInput<E extends EndpointSpec> = RequestOptions &
  ParamsInput<E> &
  QueryInput<E> &
  BodyInput<E>;

/** One page of a paginated list, with the total from X-Total-Count. */
export interface Page<T> {
  data: T[];
  /** How many items there are in all pages. */
  total: number;
  page: number;
  pageSize: number;
}

/** Its success body, as validated by the contract; void for 202/204 endpoints. */
export type EndpointResponse<E extends EndpointSpec> = E extends {
  response: infer R extends z.ZodType;
}
  ? z.output<R>
  : void;

/** What a call resolves to: the response, or a `Page` for paginated lists. */
export type EndpointResult<E extends EndpointSpec> = E extends { query: typeof paginationSchema }
  ? Page<EndpointResponse<E> extends readonly (infer T)[] ? T : never>
  : EndpointResponse<E>;

/** A typed call; its input may be left out when nothing in it is required. */
export type Call<E extends EndpointSpec> =
  object extends CallInput<E>
    ? (input?: CallInput<E>) => Promise<EndpointResult<E>>
    : (input: CallInput<E>) => Promise<EndpointResult<E>>;

/** The calls of a contract, grouped by feature as the contract is: `api.notes.list()`. */
export type Calls<C extends Contract> = {
  [F in keyof C]: { [N in keyof C[F]]: Call<C[F][N]> };
};
