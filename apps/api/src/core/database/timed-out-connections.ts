import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  type AfterQueryEvent,
  DataSource,
  type EntitySubscriberInterface,
  type QueryRunner,
} from 'typeorm';

/** What node-postgres rejects a statement with after `query_timeout` (see boundedWaits). */
const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

/** The part of TypeORM's PostgresQueryRunner used here (private in its typings). */
interface ReleasableRunner {
  releasePostgresConnection(error: Error): Promise<void>;
}

/**
 * A connection whose statement got no answer in time is given back to the pool as broken, so the
 * pool closes it instead of handing it to the next request: behind a hung server it would only
 * queue more statements, and behind a half-open TCP connection (the server or the network gone
 * without a word) it would never answer again. TypeORM gives connections back as healthy.
 */
@Injectable()
export class TimedOutConnections implements EntitySubscriberInterface, OnModuleDestroy {
  constructor(private readonly dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  onModuleDestroy() {
    const subscribers = this.dataSource.subscribers;
    subscribers.splice(subscribers.indexOf(this), 1);
  }

  afterQuery({ success, error, queryRunner }: AfterQueryEvent): Promise<void> | undefined {
    if (success || (error as Error | undefined)?.message !== QUERY_TIMEOUT_MESSAGE) return;
    return (queryRunner as QueryRunner & ReleasableRunner).releasePostgresConnection(
      error as Error,
    );
  }
}
