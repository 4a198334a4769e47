import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument, DOCS_PATH } from '@repo/contracts';
import { APP_VERSION } from '../app-version.js';
import { servedEndpoints } from '../http/served-endpoints.js';

/** Swagger UI at /api/docs and the document at /api/docs/openapi.json, from the bound endpoints. */
export function setupOpenApi(app: NestFastifyApplication) {
  const document = buildOpenApiDocument(
    {
      title: 'API',
      version: APP_VERSION,
      description:
        'Errors are problem details (RFC 9457) with a stable `code`. Browsers keep the refresh token in an httpOnly cookie; native clients send it in the body.',
      license: { name: 'MIT', identifier: 'MIT' },
      contact: { name: 'The API team' },
    },
    servedEndpoints(app),
  );
  SwaggerModule.setup(DOCS_PATH.slice(1), app, document as unknown as OpenAPIObject, {
    jsonDocumentUrl: `${DOCS_PATH.slice(1)}/openapi.json`,
    raw: ['json'],
  });
}
