import { z } from 'zod';

export const emailSchema = z.email().max(254).trim().toLowerCase();
export const displayNameSchema = z.string().trim().min(1).max(100);

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.email(),
    name: z.string(),
    emailVerified: z.boolean(),
    mfaEnabled: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

export const updateMeSchema = z
  .object({ name: displayNameSchema })
  .partial()
  .strict()
  .meta({ id: 'UpdateMe' });
export type UpdateMe = z.infer<typeof updateMeSchema>;
