import { type FastifyInstance } from 'fastify';
import { type Metrics } from './metrics.js';

/**
 * Each request's duration in the histogram, by method, route pattern (`/api/v1/notes/:id`, never
 * the path: ids would make a series each) and status. Registered only when metrics are on.
 */
export function measureRequests(fastify: FastifyInstance, metrics: Metrics) {
  fastify.addHook('onRequest', (request, reply, done) => {
    const start = process.hrtime.bigint();
    reply.raw.once('close', () => {
      metrics.httpDuration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status_code: reply.raw.statusCode,
        },
        Number(process.hrtime.bigint() - start) / 1e9,
      );
    });
    done();
  });
}
