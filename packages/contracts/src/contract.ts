import { apiKeysEndpoints } from './api-keys.js';
import { authEndpoints, mfaEndpoints, sessionsEndpoints } from './auth.js';
import { defineContract } from './endpoint.js';
import { healthEndpoints } from './health.js';
import { devEndpoints } from './mail.js';
import { notesEndpoints } from './notes.js';
import { oauthEndpoints } from './oauth.js';
import { usersEndpoints } from './users.js';

export * from './endpoint.js';

/**
 * The API surface, one entry per route, grouped by feature. The API binds a handler to each entry,
 * the OpenAPI document is generated from the bound ones, and the client's calls are derived from
 * it (`api.notes.list()`): a route is stated here and nowhere else.
 */
export const contract = defineContract({
  health: healthEndpoints,
  auth: authEndpoints,
  sessions: sessionsEndpoints,
  mfa: mfaEndpoints,
  oauth: oauthEndpoints,
  users: usersEndpoints,
  apiKeys: apiKeysEndpoints,
  notes: notesEndpoints,
  dev: devEndpoints,
});

export type AppContract = typeof contract;
