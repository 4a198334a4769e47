import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument, DOCS_PATH } from '@repo/contracts';
import { APP_VERSION } from '../app-version.js';
import { servedEndpoints } from '../http/served-endpoints.js';

/** Swagger UI at /api/docs and the document at /api/docs/openapi.json, from the bound endpoints. */
export function setupOpenApi(app: NestFastifyApplication) {
  const document = buildOpenApiDocument(
    { title: 'API', version: APP_VERSION },
    servedEndpoints(app),
  );
  SwaggerModule.setup(DOCS_PATH.slice(1), app, document as unknown as OpenAPIObject, {
    jsonDocumentUrl: `${DOCS_PATH.slice(1)}/openapi.json`,
    raw: ['json'],
  });
}
