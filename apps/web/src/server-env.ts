import { z } from 'zod';
import { unsetIfEmpty, urlWithScheme } from './env';

/**
 * The web server's own configuration, read at start and never inlined into the browser bundle:
 * tracing (OpenTelemetry), off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
const serverEnvSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(
    unsetIfEmpty,
    urlWithScheme(['http:', 'https:'], 'http://collector:4318').optional(),
  ),
  OTEL_SERVICE_NAME: z.preprocess(unsetIfEmpty, z.string().default('web')),
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(unsetIfEmpty, z.coerce.number().min(0).max(1).default(1)),
});
export type ServerEnv = z.infer<typeof serverEnvSchema>;

/** Parses the server's variables; throws one error naming every bad one. */
export function parseServerEnv(raw: Record<string, string | undefined>): ServerEnv {
  const result = serverEnvSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid server environment:\n${problems.join('\n')}`);
  }
  return result.data;
}
