import { z } from 'zod';
import { defineContract, defineEndpoints } from './endpoint.js';

/** Trimmed and lower-cased before it is checked, so ' Ada@Example.com ' is ada@example.com. */
export const emailSchema = z.string().trim().toLowerCase().max(254).check(z.email());
export const displayNameSchema = z.string().trim().min(1).max(100);

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.email(),
    name: z.string(),
    emailVerified: z.boolean(),
    mfaEnabled: z.boolean(),
    hasPassword: z
      .boolean()
      .describe('False for accounts made by a provider, a passkey or an email code'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

export const updateMeSchema = z
  .object({ name: displayNameSchema })
  .partial()
  .strict()
  .meta({ id: 'UpdateMe', examples: [{ name: 'Ada King' }] });
export type UpdateMe = z.infer<typeof updateMeSchema>;

const usersEndpoints = defineEndpoints({
  me: {
    method: 'GET',
    path: '/users/me',
    summary: 'The authenticated user',
    access: { apiKey: 'read' },
    response: userSchema,
  },
  updateMe: {
    method: 'PATCH',
    path: '/users/me',
    summary: 'Change the authenticated user’s profile',
    access: { apiKey: 'write' },
    body: updateMeSchema,
    response: userSchema,
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const usersContract = defineContract(
  { users: usersEndpoints },
  { users: 'The signed-in user’s profile.' },
);
