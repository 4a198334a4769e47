import fastifyCookie from '@fastify/cookie';
import { API_PREFIX } from '@repo/contracts';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { type Config } from './core/config/config.js';
import { setupCors } from './core/http/cors.js';
import { drainRefusedBody } from './core/http/drain-refused-body.js';
import { REQUEST_ID_HEADER, requestId } from './core/http/request-id.js';
import { setupSecurityHeaders } from './core/http/security-headers.js';
import { RootLogger } from './core/logging/logger.module.js';
import { logRequests } from './core/logging/request-log.js';
import { setupOpenApi } from './core/openapi/openapi.js';
import { answerClientError } from './core/problem/client-error.js';
import { sendProblem } from './core/problem/problem.reply.js';
import { toProblem } from './core/problem/to-problem.js';
import { measureRequests } from './core/telemetry/http-metrics.js';
import { traceRequests } from './core/telemetry/http-tracing.js';
import { Metrics } from './core/telemetry/metrics.js';
import { RealtimeWsAdapter } from './realtime/realtime-ws.adapter.js';

/** The Fastify server under Nest: body limit, request ids, proxy trust. */
export function createAdapter(config: Config) {
  return new FastifyAdapter({
    bodyLimit: config.API_BODY_LIMIT,
    genReqId: requestId,
    trustProxy: config.TRUST_PROXY,
    // Idle keep-alive sockets must not hold a shutdown open.
    forceCloseConnections: 'idle',
    // Slow or stalled clients (slowloris): a connection whose request (headers and body) has not
    // arrived within API_REQUEST_TIMEOUT_MS is closed, checked every second. Node's default
    // checks every 30 s and Fastify's sets no limit for the body. Idle keep-alive connections
    // close after Fastify's keepAliveTimeout (72 s, longer than nginx keeps them: 60 s).
    requestTimeout: config.API_REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: config.API_REQUEST_TIMEOUT_MS,
      requestTimeout: config.API_REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: 1_000,
    },
    // core/logging/request-log.ts logs each request once; Fastify's own logger stays off.
    logger: false,
    // The API has no Nest middleware, so Nest need not mount @fastify/middie, its engine for them,
    // which would run on every request. A Nest middleware added later fails the start ("use is
    // not a function"): register @fastify/middie then, or make it a Fastify hook.
    skipMiddie: true,
    // Errors Fastify's router raises before any handler (a bad URL, an over-long path segment).
    clientErrorHandler: answerClientError,
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      void sendProblem(request, reply, toProblem(error));
    },
  });
}

/**
 * Options for NestFactory.create / createNestApplication. Nest's own body parsers are off: the API
 * takes JSON only, through Fastify's parser, so any other content type is a 415.
 */
export const APP_OPTIONS = { bufferLogs: true, bodyParser: false } as const;

/** Everything between "Nest app created" and "listen": shared by main.ts and the tests. */
export async function configureApp(app: NestFastifyApplication, config: Config) {
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.setGlobalPrefix(API_PREFIX.slice(1));
  const fastify = app.getHttpAdapter().getInstance();
  // The first hooks, where Nest ran middleware: what follows runs in the request's span and log
  // context. Tracing and metrics cost nothing when they are off: their hooks are not there.
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT) traceRequests(fastify, config.OTEL_TRACES_SAMPLER_ARG);
  const metrics = app.get(Metrics);
  if (metrics.enabled) measureRequests(fastify, metrics);
  logRequests(fastify, app.get(RootLogger).logger);
  fastify.removeContentTypeParser('text/plain');
  // Hooks on every request take a callback, not a promise: a promise and its microtask each time.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  fastify.addHook('onSend', drainRefusedBody);
  app.useWebSocketAdapter(new RealtimeWsAdapter(app));
  await app.register(fastifyCookie);
  setupSecurityHeaders(app);
  setupCors(app, config);
  setupOpenApi(app);
  await app.init();
}
