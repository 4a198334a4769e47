import { type FastifyInstance } from 'fastify';
import { type Histogram } from 'prom-client';
import { type Metrics } from './metrics.js';

/**
 * Each request's duration in the histogram, by method, route pattern (`/api/v1/notes/:id`, never
 * the path: ids would make a series each) and status. Registered only when metrics are on. In
 * Fastify's `onResponse` hook, with the time Fastify keeps anyway (`reply.elapsedTime`): no
 * listener or timer of our own per request. A request whose client left before its answer was
 * sent has no duration, and is not counted.
 */
export function measureRequests(fastify: FastifyInstance, metrics: Metrics) {
  // One series per method, route and status: its child kept, so a request does not hash labels.
  const series = new Map<string, Histogram.Internal<'method' | 'route' | 'status_code'>>();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const key = `${request.method} ${route} ${status}`;
    let child = series.get(key);
    if (!child) {
      child = metrics.httpDuration.labels({ method: request.method, route, status_code: status });
      series.set(key, child);
    }
    child.observe(reply.elapsedTime / 1000);
    done();
  });
}
