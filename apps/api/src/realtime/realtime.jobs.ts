import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobTask } from '../core/jobs/job-task.js';

/** The WebSocket connection leases' clean-up. */
@Injectable()
export class RealtimeJobs {
  constructor(private readonly dataSource: DataSource) {}

  /** Deletes the leases run out: those of an instance that stopped without removing them. */
  @JobTask('realtime-connections.prune', { cron: '* * * * *' })
  async prune(): Promise<void> {
    await this.dataSource.query(`DELETE FROM realtime_connections WHERE expires_at <= now()`);
  }
}
