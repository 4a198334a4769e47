import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument, DOCS_PATH } from '@repo/contracts';
import { APP_VERSION } from '../app-version.js';
import { type Config } from '../config/config.js';

/** Swagger UI at /api/docs and the document at /api/docs/openapi.json, both from the contracts. */
export function setupOpenApi(app: NestFastifyApplication, config: Config) {
  const document = buildOpenApiDocument(
    { title: 'API', version: APP_VERSION },
    { production: config.isProduction },
  );
  SwaggerModule.setup(DOCS_PATH.slice(1), app, document as unknown as OpenAPIObject, {
    jsonDocumentUrl: `${DOCS_PATH.slice(1)}/openapi.json`,
    raw: ['json'],
  });
}
