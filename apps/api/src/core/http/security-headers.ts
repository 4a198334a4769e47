import { type NestFastifyApplication } from '@nestjs/platform-fastify';

/** The Content-Security-Policy: what the Swagger UI page at /api/docs needs, nothing more. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "base-uri 'self'",
  "font-src 'self' https: data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self' 'unsafe-inline'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  // No upgrade-insecure-requests: TLS is the proxy's job (with HSTS); upgrading here breaks the
  // docs page on plain-http dev.
].join(';');

/**
 * The security headers of every response, as helmet's defaults with the policy above made them
 * (test/security-headers.test.ts pins them byte for byte). They never change, so they are written
 * once here rather than computed for each response, as helmet did.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Cross-Origin-Opener-Policy': 'same-origin',
  // Web and API are separate origins of one site (app.example.com / api.example.com).
  'Cross-Origin-Resource-Policy': 'same-site',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
});

/**
 * Sets them as a request arrives, where helmet did, so a route can still replace one (health
 * does). On the raw response, as helmet did, so that their names and order on the wire stay the
 * same; Fastify merges a route's own headers over them.
 */
export function setupSecurityHeaders(app: NestFastifyApplication) {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      for (const name in SECURITY_HEADERS) reply.raw.setHeader(name, SECURITY_HEADERS[name]!);
      done();
    });
}
