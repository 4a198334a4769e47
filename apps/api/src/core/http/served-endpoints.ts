import { type INestApplication } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { type Endpoint } from '@repo/contracts';
import { endpointOfMethod } from './endpoint-of.js';

/**
 * The endpoints the app serves: those bound by a controller of a registered module (so dev-only
 * ones are absent in production). The OpenAPI document lists exactly these.
 */
export function servedEndpoints(app: INestApplication): Endpoint[] {
  const scanner = new MetadataScanner();
  return app
    .get(DiscoveryService)
    .getControllers()
    .flatMap(({ instance }) => {
      const prototype = Object.getPrototypeOf(instance ?? {}) as Record<string, object>;
      return scanner
        .getAllMethodNames(prototype)
        .map((name) => endpointOfMethod(prototype[name]!))
        .filter((endpoint) => endpoint !== undefined);
    });
}
