import { z } from 'zod';
import { defineContract, defineEndpoints } from './endpoint.js';
import { emailSchema } from './users.js';

export const outboxMessageSchema = z
  .object({
    id: z.uuid(),
    to: z.email(),
    subject: z.string(),
    text: z.string(),
    html: z.string().nullable().describe('The HTML part, if the email has one'),
    link: z.string().nullable().describe('The action link of the email, if any'),
    createdAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable().describe('When the SMTP relay took it; null in dev'),
  })
  .meta({ id: 'OutboxMessage' });
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;
export const outboxListSchema = z.array(outboxMessageSchema).meta({ id: 'OutboxList' });

export const outboxQuerySchema = z
  .object({ to: emailSchema.optional() })
  .strict()
  .meta({ id: 'OutboxQuery' });
export type OutboxQuery = z.infer<typeof outboxQuerySchema>;

const devEndpoints = defineEndpoints({
  outbox: {
    method: 'GET',
    path: '/dev/outbox',
    summary: 'Dev only: the emails the API wrote, newest first (absent in production)',
    access: 'public',
    devOnly: true,
    query: outboxQuerySchema,
    response: outboxListSchema,
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const mailContract = defineContract(
  { dev: devEndpoints },
  { dev: 'Development only: the outbox of emails the API would have sent.' },
);
