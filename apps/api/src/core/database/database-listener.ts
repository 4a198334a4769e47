import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { Config } from '../config/config.js';

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;
/**
 * A connection that stops answering (a hung database, a half-open TCP connection) delivers no
 * notifications either, without any error: a query every HEARTBEAT_MS that must be answered
 * within HEARTBEAT_TIMEOUT_MS tells. Those who rely on the notifications (the access cache) stop
 * relying on them from then until the listener is back.
 */
const HEARTBEAT_MS = 2_000;
const HEARTBEAT_TIMEOUT_MS = 2_000;
/** How the connection shows in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'api-listener';

type Handler = (payload: string) => void;

/**
 * One dedicated PostgreSQL connection for LISTEN, shared by every channel of this process. It
 * reconnects (and listens again) after the database restarts, and says when it is up or down:
 * notifications sent while it was down are lost, so a listener that keeps state must drop it.
 */
@Injectable()
export class DatabaseListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly channels = new Map<string, Set<Handler>>();
  private readonly stateListeners = new Set<(listening: boolean) => void>();
  private client: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  private started = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: Config,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(DatabaseListener.name);
  }

  /** Whether notifications are being received now. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Calls `handler` with the payload of each notification on `channel`, from the next connect. */
  on(channel: string, handler: Handler): void {
    const handlers = this.channels.get(channel) ?? new Set();
    handlers.add(handler);
    this.channels.set(channel, handlers);
  }

  /**
   * Sends a notification on the listening connection itself (no pooled connection needed: a
   * statement that waits for this one's arrival may be holding one). Fails while not listening.
   */
  async notify(channel: string, payload: string): Promise<void> {
    if (!this.client) throw new Error('The listener is not connected');
    await this.client.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  /** Told `true` once every channel is listened to (again), `false` when the connection is lost. */
  onStateChange(listener: (listening: boolean) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  async onApplicationBootstrap() {
    this.started = true;
    if (this.channels.size > 0) await this.connect();
  }

  async onModuleDestroy() {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.drop();
    if (!client) return;
    // Bounded: on a dead connection, ending never completes.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      client.end().catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, this.config.DATABASE_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
  }

  private async connect() {
    const options = this.dataSource.options as { url?: string };
    const client = new pg.Client({
      connectionString: options.url,
      application_name: LISTENER_APPLICATION_NAME,
      // Connecting and LISTEN are bounded too: behind a partition they would wait for ever.
      connectionTimeoutMillis: this.config.DATABASE_TIMEOUT_MS,
      query_timeout: this.config.DATABASE_TIMEOUT_MS,
      keepAlive: true,
    });
    client.on('notification', ({ channel, payload }) => this.dispatch(channel, payload));
    client.on('error', (error) => this.logger.warn({ err: error }, 'Listener connection failed'));
    client.on('end', () => {
      // A connection that failed to connect, or was given up on, is dealt with where that happened.
      if (this.client !== client) return;
      this.drop();
      this.scheduleReconnect();
    });
    try {
      await client.connect();
      for (const channel of this.channels.keys()) await client.query(`LISTEN "${channel}"`);
      if (this.stopped) return void (await client.end());
      this.client = client;
      this.heartbeat(client);
      if (this.reconnectDelay > RECONNECT_MIN_MS) this.logger.info('Listener reconnected');
      this.reconnectDelay = RECONNECT_MIN_MS;
      this.setState(true);
    } catch (error) {
      this.logger.warn({ err: error }, 'Listener could not connect; retrying');
      // Not awaited: on a dead connection, ending never completes.
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private heartbeat(client: pg.Client) {
    const dead = () => {
      if (this.client !== client) return;
      this.logger.warn('Listener connection stopped answering; reconnecting');
      this.drop();
      // Not awaited: on a dead connection, ending never completes.
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    this.heartbeatTimer = setTimeout(() => {
      const timeout = setTimeout(dead, HEARTBEAT_TIMEOUT_MS);
      client.query('SELECT 1').then(
        () => {
          clearTimeout(timeout);
          if (this.client === client) this.heartbeat(client);
        },
        () => {
          clearTimeout(timeout);
          dead();
        },
      );
    }, HEARTBEAT_MS);
    this.heartbeatTimer.unref();
  }

  /** Forgets the current connection and tells that notifications stopped. */
  private drop() {
    clearTimeout(this.heartbeatTimer);
    const wasListening = this.client !== undefined;
    this.client = undefined;
    if (wasListening) this.setState(false);
  }

  private scheduleReconnect() {
    if (this.stopped || !this.started || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
  }

  private setState(listening: boolean) {
    for (const listener of this.stateListeners) listener(listening);
  }

  private dispatch(channel: string, payload: string | undefined) {
    for (const handler of this.channels.get(channel) ?? []) {
      try {
        handler(payload ?? '');
      } catch (error) {
        this.logger.error({ err: error, channel }, 'A notification handler failed');
      }
    }
  }
}
