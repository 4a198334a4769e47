import { z } from 'zod';
import { defineContract, defineEndpoints } from './endpoint.js';

export const healthSchema = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    uptimeS: z.number().nonnegative(),
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof healthSchema>;

export const checkSchema = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number().nonnegative().nullable(),
});
export type Check = z.infer<typeof checkSchema>;

export const readinessSchema = z
  .object({
    status: z.enum(['ok', 'error']),
    checks: z.object({ database: checkSchema }),
    version: z.string(),
    timestamp: z.iso.datetime(),
  })
  .meta({ id: 'Readiness' });
export type Readiness = z.infer<typeof readinessSchema>;

const healthEndpoints = defineEndpoints({
  live: {
    method: 'GET',
    path: '/health',
    summary: 'Liveness: the process is up',
    access: 'public',
    response: healthSchema,
  },
  ready: {
    method: 'GET',
    path: '/health/ready',
    summary: 'Readiness: every dependency answers (503 when one does not)',
    access: 'public',
    response: readinessSchema,
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const healthContract = defineContract(
  { health: healthEndpoints },
  { health: 'Liveness and readiness of the API and what it depends on.' },
);
