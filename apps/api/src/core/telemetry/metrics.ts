import { createServer, type Server } from 'node:http';
import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { type Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Config } from '../config/config.js';

/** Seconds: from a cached `/users/me` (about a millisecond) to the 5 s database bound. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The API's Prometheus metrics (prom-client), served at http://METRICS_HOST:METRICS_PORT/metrics
 * when METRICS_PORT is set: a server of its own, so nginx's public servers, which proxy the API's
 * port only, never expose them. Each instance has its own registry (tests run several in one
 * process). The counters below cost a few nanoseconds and are kept even when metrics are off;
 * what costs more (the per-request histogram, Node's runtime metrics) runs only when they are on.
 */
@Injectable()
export class Metrics implements OnApplicationBootstrap, OnModuleDestroy {
  readonly enabled: boolean;
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Time from a request arriving to its answer sent, by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly wsConnections = new Gauge({
    name: 'realtime_connections',
    help: 'Open WebSocket connections on this instance',
    registers: [this.registry],
  });
  readonly wsDeliveries = new Counter({
    name: 'realtime_deliveries_total',
    help: 'Events sent to WebSocket connections by this instance',
    registers: [this.registry],
  });
  readonly busLag = new Histogram({
    name: 'realtime_bus_lag_seconds',
    help: 'From an event published on another instance to its arrival here (LISTEN/NOTIFY)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'job_duration_seconds',
    help: 'Time a job ran on this instance, by job name and outcome (success, failure)',
    labelNames: ['job', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private server: Server | undefined;

  constructor(
    private readonly config: Config,
    private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(Metrics.name);
    this.enabled = config.METRICS_PORT !== undefined;
    const { dataSource: db } = this;
    new Gauge({
      name: 'mail_outbox_pending',
      help: 'Emails waiting in the outbox to be sent (retries included)',
      registers: [this.registry],
      // Read at scrape time; a scrape while the database is down keeps the last value.
      async collect() {
        const [row] = await db
          .query<{ n: number }[]>(
            'SELECT count(*)::int AS n FROM mail_outbox WHERE sent_at IS NULL',
          )
          .catch(() => []);
        if (row) this.set(row.n);
      },
    });
    new Gauge({
      name: 'jobs',
      help: 'Jobs in the queue, by job name and state: waiting (due or retrying later), running, failed (given up)',
      labelNames: ['job', 'state'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await db
          .query<{ job: string; waiting: number; running: number; failed: number }[]>(
            `SELECT task_identifier AS job,
                    count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts)::int AS waiting,
                    count(*) FILTER (WHERE locked_at IS NOT NULL)::int AS running,
                    count(*) FILTER (WHERE locked_at IS NULL AND attempts >= max_attempts)::int AS failed
               FROM graphile_worker.jobs GROUP BY task_identifier`,
          )
          .catch(() => undefined);
        if (!rows) return;
        this.reset();
        for (const { job, ...states } of rows) {
          for (const [state, n] of Object.entries(states)) this.set({ job, state }, n);
        }
      },
    });
    new Gauge({
      name: 'db_pool_connections',
      help: "The application pool's PostgreSQL connections, by state",
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        // TypeORM's PostgreSQL driver keeps its pg.Pool as `master`.
        const pool = (db.driver as unknown as { master?: Pool }).master;
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  async onApplicationBootstrap() {
    const port = this.config.METRICS_PORT;
    if (port === undefined) return;
    collectDefaultMetrics({ register: this.registry });
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
        (error: unknown) => {
          this.logger.error({ err: error }, 'Metrics could not be collected');
          res.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject).listen(port, this.config.METRICS_HOST, resolve);
    });
    this.server = server;
    this.logger.info(`Metrics at http://${this.config.METRICS_HOST}:${port}/metrics`);
  }

  async onModuleDestroy() {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
