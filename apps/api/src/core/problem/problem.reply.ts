import { PROBLEM_CONTENT_TYPE, PROBLEMS, type ProblemDetails, problemType } from '@repo/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '../http/request-id.js';
import { type ProblemParts } from './to-problem.js';

/** Sends a problem-details response: the one shape every error takes. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ProblemParts) {
  const body: ProblemDetails = {
    type: problemType(problem.code),
    title: PROBLEMS[problem.code].title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    instance: request.url.split('?')[0] ?? '/',
    code: problem.code,
    requestId: request.id,
    timestamp: new Date().toISOString(),
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...(problem.proofs ? { proofs: problem.proofs } : {}),
  };
  return reply
    .status(problem.status)
    .header(REQUEST_ID_HEADER, request.id)
    .headers(problem.headers ?? {})
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(body);
}
