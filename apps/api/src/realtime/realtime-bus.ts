import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Config } from '../core/config/config.js';
import { DatabaseListener } from '../core/database/database-listener.js';

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

interface Envelope extends RealtimeEvent {
  /** The instance that published it: it has delivered the event locally already. */
  origin: string;
}

/**
 * Publishes events to every API instance. Local listeners get an event at once; the others
 * through PostgreSQL NOTIFY, received by each instance's DatabaseListener. REALTIME_BUS=memory
 * keeps events in this process.
 */
@Injectable()
export class RealtimeBus {
  private readonly instanceId = randomUUID();
  private readonly listeners = new Set<(event: RealtimeEvent) => void>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: Config,
    private readonly logger: PinoLogger,
    databaseListener: DatabaseListener,
  ) {
    logger.setContext(RealtimeBus.name);
    if (config.REALTIME_BUS === 'postgres') {
      databaseListener.on(CHANNEL, (payload) => this.onNotification(payload));
    }
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

  private deliver(event: RealtimeEvent) {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, event: event.event }, 'A realtime listener failed');
      }
    }
  }

  private onNotification(payload: string) {
    try {
      const { origin, ...event } = JSON.parse(payload) as Envelope;
      if (origin !== this.instanceId) this.deliver(event);
    } catch (error) {
      this.logger.warn({ err: error }, 'Ignored a malformed realtime notification');
    }
  }
}
