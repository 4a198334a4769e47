import { type ApiKey } from '@repo/contracts';
import { type ApiKeyEntity } from './api-key.entity.js';

export const toApiKey = (key: ApiKeyEntity): ApiKey => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scopes: key.scopes,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  expiresAt: key.expiresAt?.toISOString() ?? null,
});
