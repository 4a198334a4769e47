import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobTask } from '../core/jobs/job-task.js';

/** The sessions' clean-up. */
@Injectable()
export class SessionsJobs {
  constructor(private readonly dataSource: DataSource) {}

  /** Deletes the sessions ended (revoked or expired) over a day ago, and with them their used refresh tokens. */
  @JobTask('sessions.prune', { cron: '23 * * * *' })
  async prune(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM sessions WHERE revoked_at < now() - interval '1 day' OR expires_at < now() - interval '1 day'`,
    );
  }
}
