import { type FastifyInstance } from 'fastify';
import { type Histogram } from 'prom-client';
import { type Metrics } from './metrics.js';

/**
 * Each request's duration in the histogram, by method, route pattern (`/api/v1/notes/:id`, never
 * the path: ids would make a series each) and status. Registered only when metrics are on.
 */
export function measureRequests(fastify: FastifyInstance, metrics: Metrics) {
  // One series per method, route and status: its child kept, so a request does not hash labels.
  const series = new Map<string, Histogram.Internal<'method' | 'route' | 'status_code'>>();
  fastify.addHook('onRequest', (request, reply, done) => {
    const start = performance.now();
    reply.raw.once('close', () => {
      const route = request.routeOptions.url ?? 'unmatched';
      const status = reply.raw.statusCode;
      const key = `${request.method} ${route} ${status}`;
      let child = series.get(key);
      if (!child) {
        child = metrics.httpDuration.labels({ method: request.method, route, status_code: status });
        series.set(key, child);
      }
      child.observe((performance.now() - start) / 1000);
    });
    done();
  });
}
