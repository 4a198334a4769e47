import { type FastifyRequest } from 'fastify';

/** Where a request comes from, kept with sessions and security events. */
export interface ClientInfo {
  userAgent?: string;
  ip?: string;
}

/** The user agent and IP of a request (the IP from X-Forwarded-For only when TRUST_PROXY). */
export const clientInfo = (request: FastifyRequest): ClientInfo => ({
  userAgent: request.headers['user-agent'],
  ip: request.ip,
});

/** Browsers always send Origin on these POSTs; native clients don't, and get tokens in the body. */
export const isBrowser = (request: FastifyRequest) => request.headers.origin !== undefined;
