import { randomUUID } from 'node:crypto';
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { APP_VERSION } from '../app-version.js';
import { type Config } from '../config/config.js';

/**
 * The API's tracer, for the spans the app makes itself (realtime, mail). Until startTracing
 * registers a provider it is OpenTelemetry's no-op: making a span costs next to nothing.
 */
export const tracer: Tracer = trace.getTracer('api', APP_VERSION);

export interface Tracing {
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Turns tracing on when OTEL_EXPORTER_OTLP_ENDPOINT is set: W3C trace context in and out, spans
 * batched to the endpoint over OTLP/HTTP, and PostgreSQL queries traced by OpenTelemetry's `pg`
 * instrumentation. Call it before anything imports `pg` (main.ts loads the app after it): the
 * instrumentation patches the module as it is loaded. The SDK itself is loaded only when on.
 */
export async function startTracing(config: Config): Promise<Tracing | undefined> {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const [
    { AsyncLocalStorageContextManager },
    { W3CTraceContextPropagator },
    { resourceFromAttributes },
    { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider },
    { OTLPTraceExporter },
    { registerInstrumentations },
    { PgInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': config.OTEL_SERVICE_NAME,
      'service.version': APP_VERSION,
      // Replicas share the name: this tells their spans apart.
      'service.instance.id': randomUUID(),
    }),
    // A caller's decision (its traceparent's sampled flag) wins, so a trace is whole or absent.
    sampler: new ParentBasedSampler({
      root: new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG),
    }),
    // The exporter reads the endpoint, headers and timeout from the standard OTEL_EXPORTER_OTLP_*.
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    // Statements inside a request or a traced job only: the listener's heartbeat and the
    // workers' polling would otherwise make a trace each. Statement text, never parameters.
    instrumentations: [new PgInstrumentation({ requireParentSpan: true })],
  });
  return { shutdown: () => provider.shutdown() };
}
