import { randomUUID } from 'node:crypto';
import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { Config } from '../core/config/config.js';

export interface RealtimeEvent {
  topic: string;
  event: string;
  data: unknown;
  /** Milliseconds since the epoch, when it was published. */
  ts: number;
}

const CHANNEL = 'realtime';
/** PostgreSQL refuses NOTIFY payloads from 8000 bytes; keep a margin for the envelope. */
const MAX_PAYLOAD_BYTES = 7_500;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

interface Envelope extends RealtimeEvent {
  /** The instance that published it: it has delivered the event locally already. */
  origin: string;
}

/**
 * Publishes events to every API instance. Local listeners get an event at once; the others
 * through PostgreSQL LISTEN/NOTIFY on a dedicated connection, which reconnects and listens again
 * after the database restarts. REALTIME_BUS=memory keeps events in this process.
 */
@Injectable()
export class RealtimeBus implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly instanceId = randomUUID();
  private readonly listeners = new Set<(event: RealtimeEvent) => void>();
  private client: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: Config,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(RealtimeBus.name);
  }

  /** Subscribes to every event, local or remote; returns the unsubscribe function. */
  onEvent(listener: (event: RealtimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Delivers locally now, then to the other instances. Keep `data` small (an invalidation hint).
   * It does not fail when the other instances cannot be reached (the database is down): what
   * happened is committed, and those instances' clients resync when they reconnect.
   */
  async publish(topic: string, event: string, data: unknown): Promise<void> {
    const message: RealtimeEvent = { topic, event, data, ts: Date.now() };
    const payload = JSON.stringify({ ...message, origin: this.instanceId } satisfies Envelope);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      throw new Error(
        `Realtime event ${event} is over ${MAX_PAYLOAD_BYTES} bytes: send an id, not the record`,
      );
    }
    this.deliver(message);
    if (this.config.REALTIME_BUS === 'memory') return;
    try {
      await this.dataSource.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]);
    } catch (error) {
      this.logger.warn(
        { err: error, topic, event },
        'Realtime event not sent to the other instances',
      );
    }
  }

  async onApplicationBootstrap() {
    if (this.config.REALTIME_BUS === 'postgres') await this.listen();
  }

  async onModuleDestroy() {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private deliver(event: RealtimeEvent) {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, event: event.event }, 'A realtime listener failed');
      }
    }
  }

  private async listen() {
    const options = this.dataSource.options as { url?: string };
    const client = new pg.Client({ connectionString: options.url });
    client.on('notification', (message) => this.onNotification(message.payload));
    client.on('error', (error) =>
      this.logger.warn({ err: error }, 'Realtime listener connection failed'),
    );
    client.on('end', () => {
      if (this.client === client) this.client = undefined;
      this.scheduleReconnect();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
      if (this.reconnectDelay > RECONNECT_MIN_MS) this.logger.info('Realtime listener reconnected');
      this.reconnectDelay = RECONNECT_MIN_MS;
    } catch (error) {
      this.logger.warn({ err: error }, 'Realtime listener could not connect; retrying');
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect() {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.listen();
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
  }

  private onNotification(payload: string | undefined) {
    if (!payload) return;
    try {
      const { origin, ...event } = JSON.parse(payload) as Envelope;
      if (origin !== this.instanceId) this.deliver(event);
    } catch (error) {
      this.logger.warn({ err: error }, 'Ignored a malformed realtime notification');
    }
  }
}
