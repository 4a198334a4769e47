import { type Pool } from 'pg';

/** A worker that has not said it is alive for this many heartbeats is taken for dead. */
const DEAD_AFTER_BEATS = 6;

/**
 * Says this worker is alive, and hands the jobs of dead ones back. The engine alone would wait
 * four hours before taking back the jobs of a worker killed mid-job (SIGKILL, out of memory, a
 * lost machine); here every worker writes a heartbeat row (table job_workers), and each beat
 * also unlocks the jobs held by a worker silent for DEAD_AFTER_BEATS beats, or held past that
 * by one that never wrote a row. The job then runs again on the next worker that polls: its
 * handler must be safe to run twice. (Written here because the engine's own recovery of this
 * kind is not in its open-source edition.)
 */
export class WorkerLiveness {
  private timer?: NodeJS.Timeout;
  private beating?: Promise<void>;
  /** Since when this worker's beats have all reached the database; unset after a failure. */
  private connectedSince?: number;

  constructor(
    private readonly pool: Pool,
    private readonly workerId: string,
    private readonly heartbeatMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly onBeat: () => void = () => undefined,
  ) {}

  start() {
    this.beat();
    this.timer = setInterval(() => this.beat(), this.heartbeatMs).unref();
  }

  /** Stops beating and removes this worker's row: it holds no job any more. */
  async stop() {
    clearInterval(this.timer);
    await this.beating;
    await this.pool
      .query('DELETE FROM job_workers WHERE id = $1', [this.workerId])
      .catch(this.onError);
  }

  private beat() {
    if (this.beating) return;
    const deadAfterMs = this.heartbeatMs * DEAD_AFTER_BEATS;
    // Only a worker that has itself been beating for the whole window judges others: after a
    // database outage every row is stale, and the workers that are alive need a window to beat.
    const judge =
      this.connectedSince !== undefined && Date.now() - this.connectedSince >= deadAfterMs;
    this.beating = this.pool
      .query(
        `WITH alive AS (
           INSERT INTO job_workers (id) VALUES ($1)
           ON CONFLICT (id) DO UPDATE SET seen_at = now()),
         dead AS (
           DELETE FROM job_workers
            WHERE $3 AND seen_at < now() - make_interval(secs => $2) RETURNING id),
         orphans AS (
           SELECT DISTINCT locked_by AS id FROM graphile_worker.jobs
            WHERE $3 AND locked_at < now() - make_interval(secs => $2)
              AND locked_by <> $1
              AND NOT EXISTS (SELECT 1 FROM job_workers w WHERE w.id = jobs.locked_by))
         SELECT graphile_worker.force_unlock_workers(
           array(SELECT id FROM dead UNION SELECT id FROM orphans))`,
        [this.workerId, deadAfterMs / 1000, judge],
      )
      .then(
        () => {
          this.connectedSince ??= Date.now();
          this.onBeat();
        },
        (error: unknown) => {
          this.connectedSince = undefined;
          this.onError(error);
        },
      )
      .finally(() => {
        this.beating = undefined;
      });
  }
}
