import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobTask } from '../core/jobs/job-task.js';

/** The email links' clean-up. */
@Injectable()
export class IdentityJobs {
  constructor(private readonly dataSource: DataSource) {}

  /** Deletes the verification and reset links expired over a day ago, used or not. */
  @JobTask('email-tokens.prune', { cron: '31 * * * *' })
  async prune(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM email_tokens WHERE expires_at < now() - interval '1 day'`,
    );
  }
}
