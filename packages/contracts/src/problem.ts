import { z } from 'zod';
import { reauthProofSchema } from './reauth-proof.js';

/** Media type of every error body (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The stable machine codes of every error the API can return, with the HTTP status and the title
 * each one is sent with. Clients switch on `code`, never on `title` or `detail`.
 */
export const PROBLEMS = {
  bad_request: { status: 400, title: 'Bad request' },
  validation_failed: { status: 400, title: 'Validation failed' },
  malformed_json: { status: 400, title: 'Malformed JSON body' },
  unauthorized: { status: 401, title: 'Authentication required' },
  invalid_credentials: { status: 401, title: 'Invalid email or password' },
  token_expired: { status: 401, title: 'Token expired' },
  token_invalid: { status: 401, title: 'Token invalid' },
  refresh_reused: { status: 401, title: 'Refresh token reused' },
  api_key_invalid: { status: 401, title: 'API key invalid' },
  wrong_password: { status: 400, title: 'Wrong password' },
  password_too_common: { status: 400, title: 'Password too common' },
  password_too_similar: { status: 400, title: 'Password too similar to your name or email' },
  password_breached: { status: 400, title: 'Password found in a data breach' },
  invalid_mfa_code: { status: 400, title: 'Invalid authentication code' },
  passkey_rejected: { status: 400, title: 'Passkey not accepted' },
  link_invalid: { status: 400, title: 'Link invalid or expired' },
  invalid_code: { status: 400, title: 'Code invalid or expired' },
  forbidden: { status: 403, title: 'Forbidden' },
  origin_not_allowed: { status: 403, title: 'Origin not allowed' },
  email_not_verified: { status: 403, title: 'Email not verified' },
  insufficient_scope: { status: 403, title: 'Insufficient scope' },
  reauth_required: { status: 403, title: 'Re-authentication required' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  request_timeout: { status: 408, title: 'Request timeout' },
  conflict: { status: 409, title: 'Conflict' },
  email_taken: { status: 409, title: 'Email already registered' },
  version_conflict: { status: 409, title: 'Changed by someone else' },
  last_owner: { status: 409, title: 'An organisation needs an owner' },
  slug_taken: { status: 409, title: 'Address already taken' },
  role_not_grantable: { status: 403, title: 'Role above your own' },
  already_member: { status: 409, title: 'Already a member' },
  invitation_limit: { status: 409, title: 'Too many pending invitations' },
  invitation_used: { status: 409, title: 'Invitation already used' },
  invitation_expired: { status: 410, title: 'Invitation expired' },
  invitation_wrong_account: { status: 403, title: 'Invitation for another address' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  uri_too_long: { status: 414, title: 'URI too long' },
  headers_too_large: { status: 431, title: 'Request headers too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export const problemCodeSchema = z.enum(Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]]);

/** The `type` URI of a problem: stable, one per code. */
export const problemType = (code: ProblemCode): string => `urn:problem:${code}`;

export const fieldErrorSchema = z.object({
  path: z.string().describe('Dotted path of the offending field; empty for the whole body'),
  message: z.string(),
});
export type FieldError = z.infer<typeof fieldErrorSchema>;

export const problemDetailsSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string(),
    code: problemCodeSchema,
    requestId: z.string(),
    timestamp: z.iso.datetime(),
    errors: z.array(fieldErrorSchema).optional(),
    proofs: z
      .array(reauthProofSchema)
      .optional()
      .describe('With reauth_required: the proofs of identity this user can give'),
  })
  .meta({ id: 'ProblemDetails', description: 'RFC 9457 problem details' });
export type ProblemDetails = z.infer<typeof problemDetailsSchema>;
