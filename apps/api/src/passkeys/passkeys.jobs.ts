import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobTask } from '../core/jobs/job-task.js';
import { FORGET_AFTER } from './passkey-challenges.js';

/** The used passkey challenges' clean-up. */
@Injectable()
export class PasskeysJobs {
  constructor(private readonly dataSource: DataSource) {}

  /** Forgets the used challenges FORGET_AFTER past their expiry: no answer to them can pass since. */
  @JobTask('passkey-challenges.prune', { cron: '37 * * * *' })
  async prune(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM used_passkey_challenges WHERE expires_at < now() - interval '${FORGET_AFTER}'`,
    );
  }
}
