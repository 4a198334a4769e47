import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Config } from '../core/config/config.js';
import { JobTask } from '../core/jobs/job-task.js';

/** The audit log's retention. */
@Injectable()
export class SecurityEventsJobs {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: Config,
  ) {}

  /** Deletes the events older than SECURITY_EVENTS_RETENTION_DAYS. */
  @JobTask('security-events.prune', { cron: '7 * * * *' })
  async prune(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM security_events WHERE created_at < now() - make_interval(days => $1)`,
      [this.config.SECURITY_EVENTS_RETENTION_DAYS],
    );
  }
}
