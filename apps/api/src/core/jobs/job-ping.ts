import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobTask } from './job-task.js';

/** The channel `jobs.ping` answers on: `pnpm jobs ping` and `pnpm bench` listen to it. */
export const PING_CHANNEL = 'jobs_ping';
export const PING_TASK = 'jobs.ping';

/**
 * A job that does nothing but say it ran: an operator's proof that a worker is taking jobs, and
 * how soon (`pnpm jobs ping`), and the benchmark's unit of work. One attempt: a ping retried
 * later would answer a question nobody is still asking.
 */
@Injectable()
export class JobPing {
  constructor(private readonly dataSource: DataSource) {}

  @JobTask(PING_TASK, { maxAttempts: 1 })
  async ping({ token }: Record<string, unknown>) {
    await this.dataSource.query('SELECT pg_notify($1, $2)', [PING_CHANNEL, String(token)]);
  }
}
