import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Config } from '../core/config/config.js';
import { JobTask } from '../core/jobs/job-task.js';

/** The organisations' activity logs keep the audit log's retention. */
@Injectable()
export class OrganisationsJobs {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: Config,
  ) {}

  /**
   * Deletes the events older than SECURITY_EVENTS_RETENTION_DAYS, in every organisation. The
   * statement reads no column: the retention policy alone says which rows go (see the
   * OrganisationEvents migration).
   */
  @JobTask('organisation-events.prune', { cron: '17 * * * *' })
  async prune(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query("SELECT set_config('app.retention_days', $1, true)", [
        String(this.config.SECURITY_EVENTS_RETENTION_DAYS),
      ]);
      await manager.query('DELETE FROM organisation_events');
    });
  }
}
