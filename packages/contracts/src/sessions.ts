import { z } from 'zod';
import { defineContract, defineEndpoints } from './endpoint.js';

export const sessionSchema = z
  .object({
    id: z.uuid(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime(),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    current: z.boolean().describe('The session of the access token that asked'),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof sessionSchema>;
export const sessionListSchema = z.array(sessionSchema).meta({ id: 'SessionList' });

const sessionsEndpoints = defineEndpoints({
  list: {
    method: 'GET',
    path: '/auth/sessions',
    summary: 'The sessions of the user, the current one marked',
    access: 'session',
    response: sessionListSchema,
  },
  revoke: {
    method: 'DELETE',
    path: '/auth/sessions/:id',
    summary: 'End one of the user’s sessions',
    access: 'session',
    params: z.object({ id: z.uuid() }).strict(),
    status: 204,
    problems: ['not_found'],
    reauth: true,
  },
});

/** Two-factor authentication with an authenticator app (TOTP) and recovery codes. */

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const sessionsContract = defineContract(
  { sessions: sessionsEndpoints },
  { sessions: 'The signed-in devices of the user, and ending one of them.' },
);
