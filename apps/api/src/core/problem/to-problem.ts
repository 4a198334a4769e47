import { HttpException } from '@nestjs/common';
import { type FieldError, type ProblemCode, PROBLEMS, type ReauthProof } from '@repo/contracts';
import { ProblemError } from './problem.error.js';

/** What an error becomes on the wire, before the per-request fields are added. */
export interface ProblemParts {
  code: ProblemCode;
  status: number;
  detail?: string;
  errors?: FieldError[];
  proofs?: ReauthProof[];
  headers?: Record<string, string>;
  /** True for errors nobody expected: logged with their stack, never shown. */
  unexpected?: boolean;
}

const CODE_BY_STATUS: Record<number, ProblemCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/** Errors Fastify raises while reading a body, by their stable `code`. */
const FASTIFY_CODES: Record<string, ProblemCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_BAD_URL: 'bad_request',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
};

const DETAILS: Partial<Record<ProblemCode, string>> = {
  malformed_json: 'The request body is not valid JSON.',
  unsupported_media_type: 'Send the body as application/json.',
  payload_too_large: 'The request body is larger than this API accepts.',
  uri_too_long: 'A path segment is longer than this API accepts.',
};

/**
 * Errors that mean the database cannot be reached right now (stopped, restarting, unreachable):
 * the socket's errno, SQLSTATE class 08 (connection exception), 57P01-57P03 (shutting down,
 * starting up) and 57014 (a statement cancelled at DATABASE_TIMEOUT_MS), and what pg says when a
 * connection ends, cannot be made in time, or a statement gets no answer in time. They are a 503,
 * not a 500: nothing is wrong with the request, and it may be retried.
 */
const UNREACHABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const UNREACHABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout)/;

function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 2) return false;
  const { code, message, driverError } = error as Record<string, unknown>;
  if (typeof code === 'string') {
    if (UNREACHABLE_ERRNOS.has(code) || /^(08|57P0[123]|57014)/.test(code)) return true;
  }
  if (typeof message === 'string' && UNREACHABLE_MESSAGES.test(message)) return true;
  // TypeORM's QueryFailedError wraps pg's error.
  return driverError !== error && isDatabaseUnavailable(driverError, depth + 1);
}

/**
 * PostgreSQL text cannot hold NUL (U+0000): valid JSON, refused by the database as 22021 (or
 * 22P05 in jsonb). The request is at fault, and its transaction rolled back: a 400.
 */
const UNSTORABLE_TEXT = /^22(021|P05)$/;
const isUnstorableText = (error: unknown) => {
  const { code, driverError } = (error ?? {}) as {
    code?: unknown;
    driverError?: { code?: unknown };
  };
  return [code, driverError?.code].some((c) => typeof c === 'string' && UNSTORABLE_TEXT.test(c));
};

function fromHttpException(exception: HttpException): ProblemParts {
  const status = exception.getStatus();
  const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
  const response = exception.getResponse();
  const message =
    typeof response === 'string'
      ? response
      : ((response as { message?: unknown }).message ?? exception.message);
  // Nest's own messages for 4xx are safe and useful ("Cannot GET /x"); 5xx text never leaves.
  const detail = status < 500 && typeof message === 'string' ? message : undefined;
  // Nest wraps body-parser JSON failures in a BadRequestException.
  if (status === 400 && detail && /JSON/i.test(detail)) {
    return { code: 'malformed_json', status, detail: DETAILS.malformed_json };
  }
  return { code, status, detail, unexpected: status >= 500 };
}

export function toProblem(exception: unknown): ProblemParts {
  if (exception instanceof ProblemError) {
    return {
      code: exception.code,
      status: exception.status,
      detail: exception.detail,
      errors: exception.options.errors,
      proofs: exception.options.proofs,
      headers: exception.options.headers,
    };
  }
  if (exception instanceof HttpException) return fromHttpException(exception);

  const fastifyCode = (exception as { code?: unknown }).code;
  const mapped = typeof fastifyCode === 'string' ? FASTIFY_CODES[fastifyCode] : undefined;
  if (mapped) return { code: mapped, status: PROBLEMS[mapped].status, detail: DETAILS[mapped] };
  if (isUnstorableText(exception)) {
    return {
      code: 'bad_request',
      status: 400,
      detail: 'The request holds text that cannot be stored, such as a NUL character (\\u0000).',
    };
  }
  if (isDatabaseUnavailable(exception)) {
    return {
      code: 'service_unavailable',
      status: 503,
      detail: 'The database cannot be reached right now: try again shortly.',
    };
  }
  if (exception instanceof SyntaxError) {
    return { code: 'malformed_json', status: 400, detail: DETAILS.malformed_json };
  }
  return { code: 'internal_error', status: 500, unexpected: true };
}
