import { SetMetadata } from '@nestjs/common';

export interface JobTaskOptions {
  /**
   * Also run on this schedule (cron syntax, UTC: `minute hour day month weekday`), once per
   * period across every worker.
   */
  cron?: string;
  /**
   * With `cron`: after a time when no worker ran, also run the periods missed within this many
   * milliseconds (each once, oldest first). Without it a missed period is skipped.
   */
  backfillMs?: number;
  /** Attempts before the job is given up and kept for an operator (`pnpm jobs failed`). */
  maxAttempts?: number;
}

export interface JobTaskDefinition extends JobTaskOptions {
  name: string;
}

export const JOB_TASK = Symbol('job task');

/**
 * Marks a provider's method as the handler of the job `name`: `(payload) => Promise<void>`.
 * It runs at least once for each `Jobs.enqueue`, so it must be safe to run twice (a worker may
 * die after doing the work and before recording it). A throw is a failure, retried with backoff.
 */
export const JobTask = (name: string, options: JobTaskOptions = {}) =>
  SetMetadata(JOB_TASK, { name, ...options } satisfies JobTaskDefinition);
