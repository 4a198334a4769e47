import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobTask } from '../../core/jobs/job-task.js';

/** The rate limits' clean-up. */
@Injectable()
export class RateLimitJobs {
  constructor(private readonly dataSource: DataSource) {}

  /** Deletes the windows that have ended (a hit also prunes a batch of them as it goes). */
  @JobTask('rate-limits.prune', { cron: '*/5 * * * *' })
  async prune(): Promise<void> {
    await this.dataSource.query(`DELETE FROM rate_limit_hits WHERE expires_at <= now()`);
  }
}
