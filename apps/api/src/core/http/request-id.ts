import { randomUUID } from 'node:crypto';
import { type IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Safe to echo into headers and logs: short, no spaces or control characters. */
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Fastify's `genReqId`: keeps a valid incoming X-Request-Id (so a proxy's id follows the request
 * through every log), else makes a UUID. Also stored on the raw request, where the request log's
 * serializer reads it.
 */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const id =
    typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}
