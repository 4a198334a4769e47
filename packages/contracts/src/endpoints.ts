import { apiKeysEndpoints } from './api-keys.js';
import { authEndpoints } from './auth.js';
import { type Endpoint } from './endpoint.js';
import { healthEndpoints } from './health.js';
import { devEndpoints } from './mail.js';
import { notesEndpoints } from './notes.js';
import { usersEndpoints } from './users.js';

export * from './endpoint.js';

/**
 * The API surface: one entry per route, gathered from each feature's table. The API's routes,
 * the OpenAPI document and the typed client are all checked against it, so a route exists here or
 * nowhere.
 */
export const endpoints = {
  ...healthEndpoints,
  ...authEndpoints,
  ...usersEndpoints,
  ...apiKeysEndpoints,
  ...notesEndpoints,
  ...devEndpoints,
} satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;
