import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { type FastifyInstance } from 'fastify';
import { tracer } from './tracing.js';

/**
 * A server span per traced request, a child of the caller's `traceparent` when it sends one, and
 * the request handled in its context, so the SQL and realtime spans and the log lines it makes
 * join it. A Fastify hook of our own rather than OpenTelemetry's http instrumentation, which
 * patches node:http for every request and outgoing call: this is one span and a few attributes.
 * Registered only when tracing is on (see configureApp).
 *
 * A request without a caller's decision is drawn here against OTEL_TRACES_SAMPLER_ARG, before
 * any OpenTelemetry call: one not drawn runs as if tracing were off (a span, even unrecorded,
 * and its context cost every request; bench, "telemetry"). The sampler records what is drawn
 * (`drawnKinds` in tracing.ts).
 */
export function traceRequests(fastify: FastifyInstance, sampleRatio: number) {
  fastify.addHook('onRequest', (request, reply, done) => {
    // A caller's valid trace context: its sampling decision stands.
    const caller =
      request.headers.traceparent === undefined
        ? undefined
        : propagation.extract(ROOT_CONTEXT, request.headers);
    const called = caller !== undefined && trace.getSpanContext(caller) !== undefined;
    if (!called && !(Math.random() < sampleRatio)) return done();
    const parent = called ? caller : ROOT_CONTEXT;
    const route = request.routeOptions.url;
    const span = tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      { kind: SpanKind.SERVER },
      parent,
    );
    // Attributes and an end only for the requests the sampler keeps: the others cost a span id.
    if (span.isRecording()) {
      span.setAttributes({
        'http.request.method': request.method,
        'url.path': request.url.split('?', 1)[0],
        ...(route ? { 'http.route': route } : {}),
        'client.address': request.ip,
        // The id in the response header, the problem body and the log line: from a user's
        // report to its trace.
        'http.request.id': request.id,
      });
      // 'close' comes after 'finish', or alone when the client left before the answer.
      reply.raw.once('close', () => {
        const status = reply.raw.statusCode;
        span.setAttribute('http.response.status_code', status);
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        if (!reply.raw.writableFinished) span.setAttribute('http.request.aborted', true);
        span.end();
      });
    }
    context.with(trace.setSpan(parent, span), done);
  });
}
