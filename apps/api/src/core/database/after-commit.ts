import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';

/**
 * Runs a callback once what an EntityManager wrote is committed: at the commit of its
 * transaction (never, if it rolls back), or on the next tick when no transaction is open.
 */
@Injectable()
export class AfterCommit implements EntitySubscriberInterface, OnModuleDestroy {
  private readonly pending = new WeakMap<QueryRunner, (() => void)[]>();

  constructor(private readonly dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  onModuleDestroy() {
    const subscribers = this.dataSource.subscribers;
    subscribers.splice(subscribers.indexOf(this), 1);
  }

  run(manager: EntityManager, callback: () => void) {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      setImmediate(callback);
      return;
    }
    this.pending.set(runner, [...(this.pending.get(runner) ?? []), callback]);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent) {
    // A released savepoint is no commit: the outer transaction may still roll back.
    if (queryRunner.isTransactionActive) return;
    const callbacks = this.pending.get(queryRunner) ?? [];
    this.pending.delete(queryRunner);
    for (const callback of callbacks) callback();
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent) {
    if (!queryRunner.isTransactionActive) this.pending.delete(queryRunner);
  }
}
