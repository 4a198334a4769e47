import {
  type FieldError,
  PROBLEMS,
  type ProblemCode,
  type ProblemDetails,
  problemDetailsSchema,
} from '@repo/contracts';
import { type Diagnosis } from '../diagnosis/diagnose.js';

/** Failures without any response. */
export type NetworkFailureKind = 'network' | 'timeout' | 'cors';

/**
 * `http`: the server answered with an error status. `invalid_response`: it answered 2xx, but not
 * with what the contracts say. `aborted`: the caller cancelled (an AbortSignal). The rest: no
 * response at all (`cors` only once the browser diagnosis found that CORS blocked it).
 */
export type ApiErrorKind = 'http' | 'invalid_response' | 'aborted' | NetworkFailureKind;

export interface ApiErrorInit {
  kind: ApiErrorKind;
  message?: string;
  /** 0 when there was no response. */
  status?: number;
  code?: ProblemCode | undefined;
  title?: string;
  detail?: string | undefined;
  requestId?: string | undefined;
  errors?: FieldError[] | undefined;
  problem?: ProblemDetails | undefined;
  method?: string | undefined;
  url?: string | undefined;
  retryAfterMs?: number | undefined;
  diagnosis?: Diagnosis | undefined;
  cause?: unknown;
}

const STATUS_CODES: Record<number, ProblemCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'headers_too_large',
  500: 'internal_error',
  502: 'service_unavailable',
  503: 'service_unavailable',
  504: 'service_unavailable',
};

/** The generic problem code of an HTTP status, for error bodies that are not problem details. */
export function codeForStatus(status: number): ProblemCode {
  return STATUS_CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}

const isProblemCode = (value: unknown): value is ProblemCode =>
  typeof value === 'string' && Object.hasOwn(PROBLEMS, value);

const stringOr = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * Every failure of an API call: an RFC 9457 problem from the API (typed by its `code`), another
 * error status, a response that breaks the contract, or no response at all (`kind` network,
 * timeout or cors, with a `diagnosis` in the browser).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  /** The HTTP status; 0 when there was no response. */
  readonly status: number;
  /**
   * The problem's machine code. For error responses that are not problem details (a proxy's HTML
   * page), the generic code of the status; undefined when there was no response.
   */
  readonly code: ProblemCode | undefined;
  readonly title: string;
  readonly detail: string | undefined;
  /** X-Request-Id of the failed request: quote it when reporting a bug. */
  readonly requestId: string | undefined;
  /** Field errors of a validation problem (`path` is dotted, '' for the whole body). */
  readonly errors: FieldError[];
  /** The problem body as the API sent it, when it was one. */
  readonly problem: ProblemDetails | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;
  /** From Retry-After (429, 503), in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** Why no response came (browser only): unreachable, blocked by CORS, mixed content... */
  readonly diagnosis: Diagnosis | undefined;

  constructor(init: ApiErrorInit) {
    const status = init.status ?? 0;
    const title =
      init.title ?? (init.code ? PROBLEMS[init.code].title : defaultTitle(init.kind, status));
    super(init.message ?? messageOf(init, title), { cause: init.cause });
    this.kind = init.kind;
    this.status = status;
    this.code = init.code;
    this.title = title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.errors = init.errors ?? [];
    this.problem = init.problem;
    this.method = init.method;
    this.url = init.url;
    this.retryAfterMs = init.retryAfterMs;
    this.diagnosis = init.diagnosis;
  }

  /** An error response: reads the problem details if the body is one. */
  static fromResponse(
    status: number,
    body: unknown,
    extra: Omit<ApiErrorInit, 'kind' | 'status'> = {},
  ): ApiError {
    const parsed = problemDetailsSchema.safeParse(body);
    const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const code = isProblemCode(raw.code) ? raw.code : codeForStatus(status);
    const errors = parsed.success
      ? parsed.data.errors
      : Array.isArray(raw.errors)
        ? (raw.errors as unknown[]).filter(
            (e): e is FieldError =>
              typeof (e as FieldError | null)?.path === 'string' &&
              typeof (e as FieldError).message === 'string',
          )
        : undefined;
    return new ApiError({
      ...extra,
      kind: 'http',
      status,
      code,
      title: stringOr(raw.title) ?? PROBLEMS[code].title,
      detail: stringOr(raw.detail),
      requestId: stringOr(raw.requestId) ?? extra.requestId,
      errors,
      problem: parsed.success ? parsed.data : undefined,
    });
  }

  static is(value: unknown): value is ApiError {
    return value instanceof ApiError;
  }

  /** The first message for each field path, for forms: `{ email: 'Invalid email' }`. */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { path, message } of this.errors) out[path] ??= message;
    return out;
  }

  /** 401: not logged in, token expired or invalid, bad credentials. */
  isAuthError(): boolean {
    return this.status === 401;
  }

  /** 403: logged in, but not allowed. */
  isForbidden(): boolean {
    return this.status === 403;
  }

  /** The body failed validation; see `errors` / `fieldErrors`. */
  isValidationError(): boolean {
    return this.code === 'validation_failed';
  }

  isNotFound(): boolean {
    return this.status === 404;
  }

  isConflict(): boolean {
    return this.status === 409;
  }

  /** 5xx: the server's fault (or its proxy's). */
  isServerError(): boolean {
    return this.status >= 500;
  }

  /** No response at all: see `kind` and `diagnosis`. */
  isNetworkError(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || this.kind === 'cors';
  }

  /** 429: wait `retryAfterMs` before trying again. */
  isRateLimited(): boolean {
    return this.status === 429;
  }

  isAborted(): boolean {
    return this.kind === 'aborted';
  }

  toJSON() {
    return {
      name: this.name,
      kind: this.kind,
      status: this.status,
      code: this.code,
      title: this.title,
      detail: this.detail,
      requestId: this.requestId,
      errors: this.errors,
      method: this.method,
      url: this.url,
      retryAfterMs: this.retryAfterMs,
      diagnosis: this.diagnosis,
      message: this.message,
    };
  }
}

function defaultTitle(kind: ApiErrorKind, status: number): string {
  switch (kind) {
    case 'network':
      return 'Network error';
    case 'timeout':
      return 'Request timed out';
    case 'cors':
      return 'Blocked by CORS';
    case 'aborted':
      return 'Request aborted';
    case 'invalid_response':
      return 'Unexpected response';
    default:
      return PROBLEMS[codeForStatus(status)].title;
  }
}

function messageOf(init: ApiErrorInit, title: string): string {
  const where = init.method && init.url ? ` (${init.method.toUpperCase()} ${init.url})` : '';
  const what = init.detail ? `${title}: ${init.detail}` : title;
  const status = init.status ? `${init.status} ` : '';
  // The finding code, not a developer hint: messages can reach a visitor's screen or console.
  const finding = init.diagnosis ? ` — ${init.diagnosis.finding}` : '';
  return `${status}${what}${where}${finding}`;
}
