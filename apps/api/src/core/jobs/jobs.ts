import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { context, propagation } from '@opentelemetry/api';
import { PinoLogger } from 'nestjs-pino';
import { DataSource, type EntityManager } from 'typeorm';
import { Config } from '../config/config.js';
import { installJobSchema } from './job-schema.js';
import { JOB_TASK, type JobTaskDefinition } from './job-task.js';

/** Attempts of a job whose task names none: about an hour and a half of backoff. */
const DEFAULT_MAX_ATTEMPTS = 8;

/** The trace of the request that queued a job travels in its payload under this key. */
export const TRACE_KEY = '_trace';

type JobHandler = (payload: Record<string, unknown>) => Promise<void>;

export interface RegisteredTask extends JobTaskDefinition {
  handler: JobHandler;
}

export interface EnqueueOptions {
  /** The transaction of the change that causes the job: it is queued if, and when, that commits. */
  manager?: EntityManager;
  /** Not before then. */
  runAt?: Date;
  /** At most one waiting job per key: queuing again replaces its payload and time. */
  jobKey?: string;
}

/**
 * The job engine's front: the tasks every feature declares with `@JobTask`, and `enqueue`. Jobs
 * live in PostgreSQL (graphile-worker's schema), so queuing one is an INSERT in the caller's
 * transaction: a rolled-back change queues nothing, a committed one always has its job.
 */
@Injectable()
export class Jobs implements OnModuleInit {
  private readonly tasks = new Map<string, RegisteredTask>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    private readonly config: Config,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(Jobs.name);
  }

  async onModuleInit() {
    this.discover();
    // As the database's own migrations: at start outside production (JobWorker's runner does it
    // when it runs here), by the migrate job in it.
    if (!this.config.isProduction && !this.config.JOBS_WORKER) {
      await installJobSchema(this.databaseUrl, (message) =>
        this.logger.warn({ component: 'jobs' }, message),
      );
    }
  }

  /** The database the jobs live in: the app's. */
  get databaseUrl(): string {
    return (this.dataSource.options as { url: string }).url;
  }

  private discover() {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method] as (payload: Record<string, unknown>) => Promise<void>;
        const definition = this.reflector.get<JobTaskDefinition | undefined>(JOB_TASK, fn);
        if (!definition) continue;
        if (this.tasks.has(definition.name)) {
          throw new Error(
            `Two handlers for the job ${definition.name}: name one of them otherwise`,
          );
        }
        this.tasks.set(definition.name, { ...definition, handler: fn.bind(instance) });
      }
    }
  }

  /** Every declared task, by name. */
  get registered(): ReadonlyMap<string, RegisteredTask> {
    return this.tasks;
  }

  /** Queues the job `name` with its payload (JSON; no secret: an operator can read it). */
  async enqueue(
    name: string,
    payload: Record<string, unknown>,
    { manager = this.dataSource.manager, runAt, jobKey }: EnqueueOptions = {},
  ): Promise<string> {
    const task = this.tasks.get(name);
    if (!task) throw new Error(`No @JobTask handles the job ${name}`);
    const trace: Record<string, string> = {};
    propagation.inject(context.active(), trace);
    const [row] = await manager.query<{ id: string }[]>(
      `SELECT id FROM graphile_worker.add_job($1, payload => $2::json, run_at => $3,
         max_attempts => $4, job_key => $5)`,
      [
        name,
        JSON.stringify(
          Object.keys(trace).length > 0 ? { ...payload, [TRACE_KEY]: trace } : payload,
        ),
        runAt ?? null,
        task.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        jobKey ?? null,
      ],
    );
    return row!.id;
  }
}
