import { AsyncLocalStorage } from 'node:async_hooks';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { context, trace } from '@opentelemetry/api';
import { API_PREFIX } from '@repo/contracts';
import { type FastifyInstance } from 'fastify';
import { type Level, type Logger } from 'pino';

/**
 * The logger of one request: the root's child bound to the request (`req`), made on first use.
 * Making it serialises and redacts the request, so a request that writes no line (a 2xx at
 * LOG_LEVEL=warn) does none of that. When the request is traced, its lines carry the trace's
 * `trace_id` and `span_id`: from a log line to its trace.
 */
class RequestLog {
  readonly start = Date.now();
  #logger: Logger | undefined;
  readonly #span = trace.getSpanContext(context.active());

  constructor(
    readonly root: Logger,
    private readonly req: IncomingMessage,
  ) {}

  get logger(): Logger {
    const span = this.#span;
    return (this.#logger ??= this.root.child(
      span ? { req: this.req, trace_id: span.traceId, span_id: span.spanId } : { req: this.req },
    ));
  }
}

const requestLogs = new AsyncLocalStorage<RequestLog>();

/** The logger of the request being handled, if any. */
export const requestLogger = (): Logger | undefined => requestLogs.getStore()?.logger;

/** The requests that are logged: the API's (not the docs pages'), as the middleware's route was. */
const API_REQUEST = new RegExp(`^${API_PREFIX}(?:[/?]|$)`, 'i');

const levelOf = (status: number): Level =>
  status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';

/** The line pino-http wrote, field for field; nothing at all when its level is off. */
function writeLine(log: RequestLog, req: IncomingMessage, res: ServerResponse) {
  const level = levelOf(res.statusCode);
  if (!log.root.isLevelEnabled(level)) return;
  const responseTime = Date.now() - log.start;
  if (res.statusCode >= 500) {
    const err = new Error(`failed with status code ${res.statusCode}`);
    log.logger[level]({ res, err, responseTime }, 'request errored');
  } else {
    const ended = !req.readableAborted && res.writableEnded;
    log.logger[level]({ res, responseTime }, ended ? 'request completed' : 'request aborted');
  }
}

/**
 * One line per API request once its answer is done, and the request in the lines the app writes
 * while handling it: what nestjs-pino's pino-http middleware did, as a Fastify hook, so that no
 * Express-style middleware engine runs on every request (see `skipMiddie` in app.setup.ts) and
 * the request's logger is only made when a line is written.
 */
export function logRequests(fastify: FastifyInstance, root: Logger) {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!API_REQUEST.test(request.url)) return done();
    const log = new RequestLog(root, request.raw);
    // 'close' comes after 'finish', or alone when the client left before the answer.
    reply.raw.once('close', () => writeLine(log, request.raw, reply.raw));
    // Everything after this hook, the handler included, runs in the request's context.
    requestLogs.run(log, done);
  });
}
