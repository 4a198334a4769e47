import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Config } from '../config/config.js';
import { sendProblem } from '../problem/problem.reply.js';

const CORS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const CORS_ALLOWED_HEADERS = [
  'Content-Type',
  'Authorization',
  'Accept',
  'X-Request-Id',
  'X-API-Key',
  // W3C trace context: a traced browser app's requests join their trace in the API.
  'traceparent',
  'tracestate',
];
const CORS_EXPOSED_HEADERS = ['X-Request-Id', 'X-Total-Count', 'Retry-After'];
const CORS_MAX_AGE_S = 86_400;

/**
 * CORS in the app (CORS_MODE=app): exact-origin allowlist with credentials. In proxy mode the
 * API sends no CORS header at all, so the proxy's are the only ones (never two ACAO headers).
 */
export function setupCors(app: NestFastifyApplication, config: Config) {
  if (config.CORS_MODE === 'proxy') return;
  const allowed = new Set(config.CORS_ORIGINS);

  // @fastify/cors answers a foreign preflight with 204 and no headers; we refuse it outright.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      const origin = request.headers.origin;
      const isPreflight =
        request.method === 'OPTIONS' && request.headers['access-control-request-method'];
      if (!isPreflight || (origin && allowed.has(origin))) return done();
      reply.header('vary', 'Origin');
      // Answered here: the request goes no further (done is not called).
      void sendProblem(request, reply, {
        code: 'origin_not_allowed',
        status: 403,
        detail: `Origin ${origin ?? '(none)'} is not in CORS_ORIGINS.`,
      });
    });

  app.enableCors({
    // A function, not the list: for a foreign origin @fastify/cors then sends no CORS header at all.
    origin: (origin: string | undefined, done: (error: Error | null, allow: boolean) => void) =>
      done(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_S,
    optionsSuccessStatus: 204,
    strictPreflight: true,
  });
}
