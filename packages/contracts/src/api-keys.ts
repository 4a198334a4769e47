import { z } from 'zod';
import { API_KEY_SCOPES, apiKeyScopeSchema } from './access.js';
import { defineContract, defineEndpoints } from './endpoint.js';

export const createApiKeySchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(apiKeyScopeSchema).min(1).max(API_KEY_SCOPES.length).default(['read']),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict()
  .meta({
    id: 'CreateApiKey',
    examples: [{ name: 'CI deploys', scopes: ['read'], expiresInDays: 90 }],
  });
export type CreateApiKey = z.infer<typeof createApiKeySchema>;

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('The visible start of the key, to recognise it'),
    scopes: z.array(apiKeyScopeSchema),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof apiKeySchema>;
export const apiKeyListSchema = z.array(apiKeySchema).meta({ id: 'ApiKeyList' });

export const createdApiKeySchema = z
  .object({
    apiKey: apiKeySchema,
    secret: z.string().describe('The whole key: shown this once only'),
  })
  .meta({ id: 'CreatedApiKey' });
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

/** Access tokens only: a leaked API key cannot mint or list keys. */
const apiKeysEndpoints = defineEndpoints({
  create: {
    method: 'POST',
    path: '/api-keys',
    summary: 'Create an API key (the secret is shown once)',
    access: 'session',
    body: createApiKeySchema,
    status: 201,
    response: createdApiKeySchema,
    reauth: true,
  },
  list: {
    method: 'GET',
    path: '/api-keys',
    summary: 'The user’s active API keys',
    access: 'session',
    response: apiKeyListSchema,
  },
  revoke: {
    method: 'DELETE',
    path: '/api-keys/:id',
    params: z.object({ id: z.uuid() }).strict(),
    summary: 'Revoke an API key',
    access: 'session',
    status: 204,
    problems: ['not_found'],
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const apiKeysContract = defineContract(
  { apiKeys: apiKeysEndpoints },
  { apiKeys: 'API keys for scripts and integrations, with read or write scope.' },
);
