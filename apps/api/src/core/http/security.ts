import helmet from '@fastify/helmet';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';

/** Security headers. The CSP allows what the Swagger UI page at /api/docs needs, nothing more. */
export async function setupSecurityHeaders(app: NestFastifyApplication) {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // TLS is the proxy's job (with HSTS); upgrading here breaks the docs page on plain-http dev.
        upgradeInsecureRequests: null,
      },
    },
    // Web and API are separate origins of one site (app.example.com / api.example.com).
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
}
