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
 * A server span per request, a child of the caller's `traceparent` when it sends one, and the
 * request handled in its context, so the SQL and realtime spans and the log lines it makes join
 * it. A Fastify hook of our own rather than OpenTelemetry's http instrumentation, which patches
 * node:http for every request and outgoing call: this is one span and a handful of attributes.
 * Registered only when tracing is on (see configureApp).
 */
export function traceRequests(fastify: FastifyInstance) {
  fastify.addHook('onRequest', (request, reply, done) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
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
