import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { sendProblem } from './problem.reply.js';
import { toProblem } from './to-problem.js';

/** Every HTTP error, expected or not, leaves as RFC 9457 problem details. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext(ProblemFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = toProblem(exception);
    // The request log line already records every 4xx; only the unexpected get their stack logged.
    if (problem.unexpected) this.logger.error({ err: exception }, 'Unhandled error');
    if (reply.sent) return;
    return sendProblem(request, reply, problem);
  }
}
