import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobTask } from '../core/jobs/job-task.js';

/** The sign-in codes' clean-up. */
@Injectable()
export class EmailCodeJobs {
  constructor(private readonly dataSource: DataSource) {}

  /** Deletes the codes expired over a day ago, used or not. */
  @JobTask('email-codes.prune', { cron: '29 * * * *' })
  async prune(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM email_codes WHERE expires_at < now() - interval '1 day'`,
    );
  }
}
