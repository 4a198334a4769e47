import { z } from 'zod';
import { defineContract, defineEndpoints } from './endpoint.js';
import { paginationSchema } from './pagination.js';

/** What the audit log records, one type per security-relevant action on an account. */
export const SECURITY_EVENT_TYPES = [
  'login_succeeded',
  'login_failed',
  'email_code_sign_in',
  'passkey_sign_in',
  'provider_sign_in',
  'logout',
  'session_revoked',
  'sessions_revoked',
  'refresh_token_reused',
  'password_changed',
  'password_reset',
  'email_verified',
  'email_change_requested',
  'email_changed',
  'email_change_undone',
  'mfa_enabled',
  'mfa_disabled',
  'passkey_added',
  'passkey_removed',
  'provider_linked',
  'provider_unlinked',
  'api_key_created',
  'api_key_revoked',
  'reauthenticated',
  'reauth_failed',
] as const;
export const securityEventTypeSchema = z.enum(SECURITY_EVENT_TYPES);
export type SecurityEventType = z.infer<typeof securityEventTypeSchema>;

/** The events that start a session: the ones a new-device check looks back on. */
export const SIGN_IN_EVENT_TYPES = [
  'login_succeeded',
  'email_code_sign_in',
  'passkey_sign_in',
  'provider_sign_in',
] as const satisfies readonly SecurityEventType[];

/** Small facts about an event (ids, names, a method): never a secret. */
export const securityEventDetailsSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()]),
);
export type SecurityEventDetails = z.infer<typeof securityEventDetailsSchema>;

export const securityEventSchema = z
  .object({
    id: z.uuid(),
    type: securityEventTypeSchema,
    createdAt: z.iso.datetime(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    device: z
      .string()
      .nullable()
      .describe('Browser and operating system read from the user agent, e.g. "Firefox on Linux"'),
    details: securityEventDetailsSchema,
  })
  .meta({ id: 'SecurityEvent' });
export type SecurityEvent = z.infer<typeof securityEventSchema>;
export const securityEventListSchema = z
  .array(securityEventSchema)
  .meta({ id: 'SecurityEventList' });

const securityEventsEndpoints = defineEndpoints({
  list: {
    method: 'GET',
    path: '/auth/events',
    summary: 'The account’s security activity, newest first (X-Total-Count: how many in all)',
    access: 'session',
    query: paginationSchema,
    response: securityEventListSchema,
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const securityEventsContract = defineContract(
  { securityEvents: securityEventsEndpoints },
  { securityEvents: 'The audit log of the account: sign-ins, and changes to how it is protected.' },
);
