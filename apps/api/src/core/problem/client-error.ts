import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { type Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, PROBLEMS, type ProblemDetails, problemType } from '@repo/contracts';
import { REQUEST_ID_HEADER } from '../http/request-id.js';

/**
 * Fastify's `clientErrorHandler`: requests Node's HTTP parser refuses (headers over 16 KB, garbage)
 * never become requests, so their answer is written to the socket here, as a problem too.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return socket.destroy();
  const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const code =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'headers_too_large'
      : timedOut
        ? 'request_timeout'
        : 'bad_request';
  const { status, title } = PROBLEMS[code];
  const requestId = randomUUID();
  const body = JSON.stringify({
    type: problemType(code),
    title,
    status,
    ...(timedOut ? { detail: 'The request did not arrive within the time allowed.' } : {}),
    instance: '/',
    code,
    requestId,
    timestamp: new Date().toISOString(),
  } satisfies ProblemDetails);
  // A client too slow to send its request (API_REQUEST_TIMEOUT_MS) may go on trickling bytes
  // into a half-closed socket for ever: once the answer is written, the connection is dropped.
  if (timedOut) socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `${REQUEST_ID_HEADER}: ${requestId}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
