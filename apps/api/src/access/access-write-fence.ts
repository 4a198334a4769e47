import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  type AfterQueryEvent,
  DataSource,
  type EntitySubscriberInterface,
  type QueryRunner,
} from 'typeorm';
import { AccessCache } from './access-cache.js';

/**
 * A statement that may change a row the AccessCache holds (by hand-written SQL or TypeORM's); an
 * organisation's deletion takes its memberships with it.
 */
const ACCESS_WRITE =
  /\b(?:UPDATE|DELETE\s+FROM)\s+"?(?:users|sessions|api_keys|memberships|organisations)"?\s/i;

/**
 * Read-your-writes for the AccessCache on the instance that wrote: a statement that changes a
 * user, session or API key returns (or its transaction commits) only once this instance's cache
 * has dropped what it changed. Without it, a logout's next request could still find its session
 * cached here for the moment the notification takes. Every such write, whoever makes it, passes
 * through here: no feature has to remember to invalidate.
 */
@Injectable()
export class AccessWriteFence implements EntitySubscriberInterface, OnModuleDestroy {
  private readonly written = new WeakSet<QueryRunner>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: AccessCache,
  ) {
    dataSource.subscribers.push(this);
  }

  onModuleDestroy() {
    const subscribers = this.dataSource.subscribers;
    subscribers.splice(subscribers.indexOf(this), 1);
  }

  afterQuery({ query, queryRunner, success }: AfterQueryEvent): Promise<void> | undefined {
    if (!success) return;
    if (query === 'COMMIT' && this.written.delete(queryRunner)) return this.cache.fence();
    if (query === 'ROLLBACK') this.written.delete(queryRunner);
    if (!ACCESS_WRITE.test(query)) return;
    if (!queryRunner.isTransactionActive) return this.cache.fence();
    this.written.add(queryRunner);
  }
}
