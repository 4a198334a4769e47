import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobTask } from '../core/jobs/job-task.js';

/** The email changes' clean-up. */
@Injectable()
export class AccountJobs {
  constructor(private readonly dataSource: DataSource) {}

  /** Deletes the email changes never confirmed whose link has expired (confirmed ones stay: they are the account's history). */
  @JobTask('email-changes.prune', { cron: '41 * * * *' })
  async prune(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM email_changes WHERE confirmed_at IS NULL AND expires_at < now()`,
    );
  }
}
