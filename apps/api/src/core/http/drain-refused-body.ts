import { type FastifyReply, type FastifyRequest } from 'fastify';

/** The longest an answer waits for the rest of a refused body: a client cannot stall it for ever. */
export const DRAIN_MS = 5_000;

/**
 * An `onSend` hook. Fastify refuses some requests before reading their body (over API_BODY_LIMIT:
 * 413) and closes the connection after answering (`connection: close`). A client still sending
 * (a browser's or Node's fetch sends the whole body before reading the answer) then has its
 * connection reset under it: the kernel resets a socket closed with unread data, and the client
 * sees a network error ("Failed to fetch", EPIPE) instead of the problem. So, before such an
 * answer, the rest of the body is read and discarded, for at most DRAIN_MS; then the answer
 * leaves as it would have, and the connection closes cleanly. nginx does the same in front of
 * the API (lingering close); this covers clients that reach the API directly.
 */
export function drainRefusedBody(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: null, payload: unknown) => void,
) {
  const body = request.raw;
  // Every answer passes here: the common case goes on at once, without a promise.
  if (body.complete || reply.getHeader('connection') !== 'close') return done(null, payload);
  const drained = () => {
    clearTimeout(timer);
    for (const event of ['end', 'close', 'error']) body.off(event, drained);
    done(null, payload);
  };
  const timer = setTimeout(drained, DRAIN_MS);
  for (const event of ['end', 'close', 'error']) body.once(event, drained);
  body.resume();
}
