import { type Endpoint } from './endpoint.js';
import { PROBLEMS, type ProblemCode } from './problem.js';

/**
 * What any endpoint may answer, whatever it does: a refused origin or a malformed request line,
 * a rate limit, a timeout, the database away, a bug.
 */
export const COMMON_PROBLEMS = [
  'bad_request',
  'origin_not_allowed',
  'uri_too_long',
  'headers_too_large',
  'request_timeout',
  'rate_limited',
  'internal_error',
  'service_unavailable',
] as const satisfies readonly ProblemCode[];

/** What a request with a body may be refused for, before its handler. */
const BODY_PROBLEMS = [
  'malformed_json',
  'payload_too_large',
  'unsupported_media_type',
] as const satisfies readonly ProblemCode[];

/** What each access rule refuses with (access.guard.ts and the cookie routes' CSRF checks). */
const ACCESS_PROBLEMS = {
  public: [],
  // A key sent to an endpoint that takes none is refused as such (api_key_invalid).
  session: ['unauthorized', 'token_expired', 'token_invalid', 'api_key_invalid'],
  apiKey: [
    'unauthorized',
    'token_expired',
    'token_invalid',
    'api_key_invalid',
    'insufficient_scope',
  ],
  'refresh-cookie': [],
} as const satisfies Record<string, readonly ProblemCode[]>;

/** What a stated permission refuses with: a non-member, a member whose role lacks it. */
const PERMISSION_PROBLEMS = ['forbidden', 'not_found'] as const satisfies readonly ProblemCode[];

/** The problem codes an endpoint's callers may meet, a union type: for narrowing a client error. */
export type ProblemCodeOf<E extends Endpoint> =
  | (E extends { problems: readonly (infer P extends ProblemCode)[] } ? P : never)
  | (typeof COMMON_PROBLEMS)[number]
  | (E extends { body: object } ? (typeof BODY_PROBLEMS)[number] | 'validation_failed' : never)
  | (E extends { params: object } | { query: object } ? 'validation_failed' : never)
  | (E extends { access: 'session' }
      ? (typeof ACCESS_PROBLEMS.session)[number]
      : E extends { access: { apiKey: unknown } }
        ? (typeof ACCESS_PROBLEMS.apiKey)[number]
        : never)
  | (E extends { reauth: true } ? 'reauth_required' : never)
  | (E extends { permission: string } ? (typeof PERMISSION_PROBLEMS)[number] : never);

/** Every problem code `e` may answer with: its own and those of its kind, in PROBLEMS' order. */
export function problemsOf(e: Endpoint): ProblemCode[] {
  const access = typeof e.access === 'object' ? 'apiKey' : e.access;
  const codes = new Set<ProblemCode>([
    ...COMMON_PROBLEMS,
    ...ACCESS_PROBLEMS[access],
    ...(e.method === 'GET' ? [] : BODY_PROBLEMS),
    ...(e.body || e.params || e.query ? (['validation_failed'] as const) : []),
    ...(e.reauth ? (['reauth_required'] as const) : []),
    ...(e.permission ? PERMISSION_PROBLEMS : []),
    ...(e.problems ?? []),
  ]);
  return (Object.keys(PROBLEMS) as ProblemCode[]).filter((code) => codes.has(code));
}
