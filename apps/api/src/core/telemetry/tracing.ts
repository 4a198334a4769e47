import { SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { type Tracing } from '@repo/tracing';
import { APP_VERSION } from '../app-version.js';
import { type Config } from '../config/config.js';

/**
 * The API's tracer, for the spans the app makes itself (realtime, mail). Until startTracing
 * registers a provider it is OpenTelemetry's no-op: making a span costs next to nothing.
 */
export const tracer: Tracer = trace.getTracer('api', APP_VERSION);

export type { Tracing };

/**
 * Turns tracing on when OTEL_EXPORTER_OTLP_ENDPOINT is set (see @repo/tracing), with PostgreSQL
 * statements traced by OpenTelemetry's `pg` instrumentation. Call it before anything imports
 * `pg` (main.ts loads the app after it): the instrumentation patches the module as it loads.
 */
export async function startTracing(config: Config): Promise<Tracing | undefined> {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const [{ startTracing: start }, { PgInstrumentation }] = await Promise.all([
    import('@repo/tracing'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  return start({
    serviceName: config.OTEL_SERVICE_NAME,
    serviceVersion: APP_VERSION,
    sampleRatio: config.OTEL_TRACES_SAMPLER_ARG,
    // Requests are drawn in the request hook (http-tracing.ts) before their span is made.
    drawnKinds: [SpanKind.SERVER],
    // Statements inside a request or a traced job only: the listener's heartbeat and the
    // workers' polling would otherwise make a trace each. Statement text, never parameters.
    instrumentations: [new PgInstrumentation({ requireParentSpan: true })],
  });
}
