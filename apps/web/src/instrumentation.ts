import { parseServerEnv } from './server-env';

/**
 * Next runs this once as its server starts. With OTEL_EXPORTER_OTLP_ENDPOINT set, the server's
 * requests and renders (Next makes those spans itself) are traced to it, as the API's are.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const env = parseServerEnv(process.env);
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return;
  const { startTracing } = await import('@repo/tracing');
  await startTracing({
    serviceName: env.OTEL_SERVICE_NAME,
    sampleRatio: env.OTEL_TRACES_SAMPLER_ARG,
  });
}
