import { randomUUID } from 'node:crypto';
import { context, propagation, type SpanKind, trace } from '@opentelemetry/api';
import { type Instrumentation } from '@opentelemetry/instrumentation';
import { sampler } from './sampler.js';

/**
 * OpenTelemetry tracing for the API and the web server, one setup for both: W3C trace context in
 * and out, spans batched over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (the exporter reads it and
 * the other standard OTEL_EXPORTER_OTLP_* variables itself), a caller's sampling decision
 * followed. The SDK is imported here, on demand: an app that does not call this loads none of it.
 */

export interface TracingOptions {
  serviceName: string;
  serviceVersion?: string;
  /** The share of traces recorded (0 to 1) when a request brings no sampling decision. */
  sampleRatio: number;
  /** Kinds of root span the app draws against `sampleRatio` itself, before making them. */
  drawnKinds?: readonly SpanKind[];
  /** Library instrumentations, enabled before the app loads the libraries they patch. */
  instrumentations?: Instrumentation[];
}

export interface Tracing {
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const [
    { AsyncLocalStorageContextManager },
    { W3CTraceContextPropagator },
    { resourceFromAttributes },
    sdk,
    { OTLPTraceExporter },
    { registerInstrumentations },
  ] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation'),
  ]);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName,
      ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}),
      // Replicas share the name: this tells their spans apart.
      'service.instance.id': randomUUID(),
    }),
    sampler: sampler(sdk, options.sampleRatio, options.drawnKinds),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  trace.setGlobalTracerProvider(provider);
  if (options.instrumentations?.length) {
    registerInstrumentations({
      tracerProvider: provider,
      instrumentations: options.instrumentations,
    });
  }
  return { shutdown: () => provider.shutdown() };
}
