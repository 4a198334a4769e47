import { EventEmitter } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { parseCronItems, run, type Runner, type Task, type WorkerEvents } from 'graphile-worker';
import { PinoLogger } from 'nestjs-pino';
import { Pool } from 'pg';
import { Config } from '../config/config.js';
import { Metrics } from '../telemetry/metrics.js';
import { tracer } from '../telemetry/tracing.js';
import { engineLogger } from './job-log.js';
import { Jobs, type RegisteredTask, TRACE_KEY } from './jobs.js';
import { WorkerLiveness } from './worker-liveness.js';

/** How long a killed runner gets to wind down before its pool is left to the process's exit. */
const KILL_SETTLE_MS = 500;

/** Resolves when `promise` settles, or with 'timeout' after `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const done = promise.then(
    () => 'done' as const,
    () => 'done' as const,
  );
  const outcome = await Promise.race([done, timedOut]);
  clearTimeout(timer);
  return outcome;
}

/** What a failure's log line may say of its error: a code or class name, never its message. */
const errorKind = (error: unknown) =>
  (error as { code?: unknown }).code?.toString() ??
  (error instanceof Error ? error.name : typeof error);

/**
 * Runs the jobs (graphile-worker) in this process when JOBS_WORKER is on: the API's by default,
 * or a worker process of its own (`pnpm --filter @repo/api worker`). Jobs are picked up as they
 * are committed (LISTEN/NOTIFY), cron schedules fire once per period across all workers, and a
 * failed job is retried with exponential backoff until its task's maxAttempts, then kept for an
 * operator (`pnpm --filter @repo/api jobs`).
 */
@Injectable()
export class JobWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private pool?: Pool;
  private runner?: Runner;
  private liveness?: WorkerLiveness;
  private stopping = false;

  constructor(
    private readonly config: Config,
    private readonly jobs: Jobs,
    private readonly metrics: Metrics,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(JobWorker.name);
  }

  async onApplicationBootstrap() {
    if (!this.config.JOBS_WORKER) return;
    const tasks = [...this.jobs.registered.values()];
    const pool = new Pool({
      connectionString: this.jobs.databaseUrl,
      // One connection listens; the rest run the jobs' own queries to the engine.
      max: this.config.JOBS_CONCURRENCY + 2,
    });
    const onPoolError = (error: unknown) =>
      this.logger.warn({ err: errorKind(error) }, 'Job engine connection lost');
    pool.on('error', onPoolError);
    pool.on('connect', (client) => client.on('error', onPoolError));
    this.pool = pool;

    const events: WorkerEvents = new EventEmitter();
    events.on('pool:create', ({ workerPool }) => {
      this.liveness = new WorkerLiveness(
        pool,
        workerPool.id,
        this.config.JOBS_HEARTBEAT_MS,
        (error) => this.logger.warn({ err: errorKind(error) }, 'Job worker heartbeat failed'),
        () => this.touchHealthFile(),
      );
      this.liveness.start();
    });
    events.on('job:error', ({ job, error }) => {
      const last = job.attempts >= job.max_attempts;
      this.logger[last ? 'error' : 'warn'](
        {
          job: job.task_identifier,
          jobId: job.id,
          attempt: job.attempts,
          maxAttempts: job.max_attempts,
          error: errorKind(error),
        },
        last
          ? 'Job failed for the last time: kept for an operator'
          : 'Job failed: it will be retried',
      );
    });

    this.runner = await run({
      pgPool: pool,
      concurrency: this.config.JOBS_CONCURRENCY,
      noHandleSignals: true,
      logger: engineLogger(this.logger),
      events,
      taskList: Object.fromEntries(tasks.map((task) => [task.name, this.wrap(task)])),
      parsedCronItems: parseCronItems(
        tasks
          .filter((task) => task.cron)
          .map((task) => ({
            task: task.name,
            identifier: task.name,
            match: task.cron!,
            options: { maxAttempts: task.maxAttempts ?? 1, backfillPeriod: task.backfillMs ?? 0 },
          })),
      ),
    });
    // The engine stops on its own only on a fatal error (e.g. a newer, incompatible schema).
    this.runner.promise.catch((error: unknown) => {
      if (!this.stopping) this.logger.error({ err: errorKind(error) }, 'The job worker stopped');
    });
    this.logger.info(
      { tasks: tasks.length, concurrency: this.config.JOBS_CONCURRENCY },
      'Job worker running',
    );
  }

  /**
   * Lets the running jobs finish within JOBS_SHUTDOWN_TIMEOUT_MS; those still running then are
   * failed, hence retried by another worker. Runs before the rest of the app closes: the jobs
   * still have their database and mail transport.
   */
  async onModuleDestroy() {
    this.stopping = true;
    const runner = this.runner;
    const bound = this.config.JOBS_SHUTDOWN_TIMEOUT_MS;
    let settled = true;
    if (runner && (await within(runner.stop(), bound)) === 'timeout') {
      this.logger.warn('Jobs still running at shutdown are handed back');
      await runner.kill();
      // A handed-back job's handler may still be running (nothing can stop it): the pool stays
      // for it, and goes with the process.
      settled = (await within(runner.promise, KILL_SETTLE_MS)) !== 'timeout';
    }
    await this.liveness?.stop();
    if (settled) await this.pool?.end();
  }

  /** Tells a health check that this worker reaches the database (JOBS_HEALTH_FILE). */
  private touchHealthFile() {
    const file = this.config.JOBS_HEALTH_FILE;
    if (!file) return;
    writeFile(file, new Date().toISOString()).catch((error: unknown) =>
      this.logger.warn({ err: errorKind(error) }, 'The job worker health file cannot be written'),
    );
  }

  /** A task as the engine runs it: in a span joined to the queuing request's trace, timed. */
  private wrap({ name, handler }: RegisteredTask): Task {
    return (payload, helpers) => {
      const { [TRACE_KEY]: trace, ...data } = (payload ?? {}) as Record<string, unknown>;
      const parent = propagation.extract(ROOT_CONTEXT, (trace ?? {}) as Record<string, string>);
      const started = performance.now();
      return tracer.startActiveSpan(
        `job ${name}`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'job.name': name,
            'job.id': helpers.job.id,
            'job.attempt': helpers.job.attempts,
          },
        },
        parent,
        async (span) => {
          let outcome = 'success';
          try {
            await handler(data);
          } catch (error) {
            outcome = 'failure';
            span.setStatus({ code: SpanStatusCode.ERROR });
            throw error;
          } finally {
            span.end();
            this.metrics.jobDuration.observe(
              { job: name, outcome },
              (performance.now() - started) / 1000,
            );
          }
        },
      );
    };
  }
}
