import { z } from 'zod';
import { defineEndpoints } from './endpoint.js';

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

export const healthEndpoints = defineEndpoints({
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
