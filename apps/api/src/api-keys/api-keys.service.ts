import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type ApiKey,
  type ApiKeysRevoked,
  type CreateApiKey,
  type CreatedApiKey,
  REALTIME_EVENTS,
  userTopic,
} from '@repo/contracts';
import { type EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { randomToken, sha256 } from '../core/crypto/crypto.js';
import { AfterCommit } from '../core/database/after-commit.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { RealtimeBus } from '../core/realtime-bus/realtime-bus.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { type ClientInfo } from '../core/http/client-info.js';
import { ApiKeyEntity } from './api-key.entity.js';
import { toApiKey } from './api-key.mapper.js';

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly bus: RealtimeBus,
    private readonly afterCommit: AfterCommit,
    private readonly events: SecurityEventsService,
  ) {}

  async create(userId: string, input: CreateApiKey, client: ClientInfo): Promise<CreatedApiKey> {
    const prefix = `sk_${randomToken(6)}`;
    const secret = `${prefix}_${randomToken(24)}`;
    const key = await this.keys.manager.transaction(async (manager) => {
      const saved = await manager.getRepository(ApiKeyEntity).save({
        userId,
        name: input.name,
        prefix,
        secretHash: sha256(secret),
        scopes: [...new Set(input.scopes)],
        expiresAt: input.expiresInDays
          ? new Date(Date.now() + input.expiresInDays * 86_400_000)
          : null,
      });
      const { id, name, scopes } = saved;
      await this.events.record(
        userId,
        'api_key_created',
        client,
        { apiKeyId: id, name, prefix, scopes: scopes.join(', ') },
        manager,
      );
      return saved;
    });
    return { apiKey: toApiKey(key), secret };
  }

  async list(userId: string): Promise<ApiKey[]> {
    // Active: not revoked, and not past its expiry.
    const keys = await this.keys.find({
      where: [
        { userId, revokedAt: IsNull(), expiresAt: IsNull() },
        { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      ],
      order: { createdAt: 'DESC' },
    });
    return keys.map(toApiKey);
  }

  /** Revokes every key of a user (after a password reset: the account may have been taken over). */
  async revokeAll(userId: string, manager: EntityManager): Promise<void> {
    const revoked = await manager.query<{ id: string }[]>(
      `WITH revoked AS (
         UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id)
       SELECT * FROM revoked`,
      [userId],
    );
    this.announce(userId, revoked, manager);
  }

  async revoke(userId: string, id: string, client: ClientInfo): Promise<void> {
    const result = await this.keys.update(
      { id, userId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    if (!result.affected) throw new ProblemError('not_found', 'No such active API key of yours.');
    await this.events.record(userId, 'api_key_revoked', client, { apiKeyId: id });
    this.announce(userId, [{ id }], this.keys.manager);
  }

  /** Once committed, the sockets opened with these keys are closed. */
  private announce(userId: string, revoked: { id: string }[], manager: EntityManager) {
    if (revoked.length === 0) return;
    const data: ApiKeysRevoked = { apiKeyIds: revoked.map((key) => key.id) };
    this.afterCommit.run(
      manager,
      () => void this.bus.publish(userTopic(userId), REALTIME_EVENTS.apiKeysRevoked, data),
    );
  }
}
