import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Config } from '../core/config/config.js';

/** A lease outlives this many missed heartbeats before it stops counting. */
const LEASE_HEARTBEATS = 3;

/**
 * The open WebSocket connections of every API instance (table realtime_connections), so that
 * WS_MAX_CONNECTIONS_PER_USER holds across instances. Each row is a lease its instance renews on
 * every heartbeat: the rows of an instance that was killed stop counting once their lease has
 * run out, and the next heartbeat of any instance deletes them.
 */
@Injectable()
export class ConnectionLeases implements OnModuleDestroy {
  private readonly instanceId = randomUUID();
  private readonly leaseSeconds: number;
  /** Shut down: its leases are gone, and the sockets' closes that follow have nothing to release. */
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: Config,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(ConnectionLeases.name);
    this.leaseSeconds = (LEASE_HEARTBEATS * config.WS_HEARTBEAT_MS) / 1000;
  }

  /**
   * Takes a lease for this connection unless its user already holds the maximum; false then.
   * The user's advisory lock makes the count and the insert one step for every instance.
   */
  async admit(connectionId: string, userId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `realtime-connections:${userId}`,
      ]);
      const inserted = await manager.query<unknown[]>(
        `INSERT INTO realtime_connections (id, user_id, instance_id, expires_at)
         SELECT $1::uuid, $2::uuid, $3::uuid, now() + make_interval(secs => $4)
          WHERE (SELECT count(*) FROM realtime_connections
                  WHERE user_id = $2::uuid AND expires_at > now()) < $5
         RETURNING id`,
        [
          connectionId,
          userId,
          this.instanceId,
          this.leaseSeconds,
          this.config.WS_MAX_CONNECTIONS_PER_USER,
        ],
      );
      return inserted.length === 1;
    });
  }

  /** The connection closed: its lease goes. */
  async release(connectionId: string) {
    if (this.stopped) return;
    await this.dataSource.query(`DELETE FROM realtime_connections WHERE id = $1`, [connectionId]);
  }

  /**
   * Each heartbeat: the leases of this instance's open connections are renewed (taken again if a
   * database outage outlasted them). Run-out ones are deleted by the job
   * `realtime-connections.prune`.
   */
  async renew(open: { id: string; userId: string }[]) {
    if (this.stopped) return;
    await this.dataSource.query(
      `INSERT INTO realtime_connections (id, user_id, instance_id, expires_at)
       SELECT id, user_id, $3::uuid, now() + make_interval(secs => $4)
         FROM unnest($1::uuid[], $2::uuid[]) AS open(id, user_id)
       ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at`,
      [open.map((c) => c.id), open.map((c) => c.userId), this.instanceId, this.leaseSeconds],
    );
  }

  /** Shutdown: this instance's leases go with it. */
  async onModuleDestroy() {
    this.stopped = true;
    await this.dataSource
      .query(`DELETE FROM realtime_connections WHERE instance_id = $1`, [this.instanceId])
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'The WebSocket connection leases were left to expire'),
      );
  }
}
