import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Config } from '../config/config.js';
import { DatabaseListener } from '../database/database-listener.js';
import { Metrics } from '../telemetry/metrics.js';
import { tracer } from '../telemetry/tracing.js';

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
  /** The publish span's W3C traceparent, when traced: other instances' dispatches join its trace. */
  traceparent?: string;
}

/**
 * Whether `ctx` is in a recorded trace. Realtime spans join the trace of what caused the event (a
 * traced request, and through the NOTIFY payload its dispatch elsewhere): an event of an untraced
 * request, or of a WebSocket client, makes none rather than a trace of its own.
 */
const traced = (ctx: Context) =>
  ((trace.getSpanContext(ctx)?.traceFlags ?? TraceFlags.NONE) & TraceFlags.SAMPLED) !== 0;

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
    private readonly metrics: Metrics,
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
    if (!traced(context.active())) return this.send({ topic, event, data, ts: Date.now() });
    // Topics name users and rooms: the span's name stays the event's, one of a known few.
    await tracer.startActiveSpan(
      `realtime publish ${event}`,
      { kind: SpanKind.PRODUCER, attributes: { 'realtime.topic': topic } },
      async (span) => {
        try {
          await this.send({ topic, event, data, ts: Date.now() });
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  private async send(message: RealtimeEvent) {
    const carrier: { traceparent?: string } = {};
    propagation.inject(context.active(), carrier);
    const payload = JSON.stringify({
      ...message,
      origin: this.instanceId,
      ...carrier,
    } satisfies Envelope);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      throw new Error(
        `Realtime event ${message.event} is over ${MAX_PAYLOAD_BYTES} bytes: send an id, not the record`,
      );
    }
    this.deliver(message, context.active());
    if (this.config.REALTIME_BUS === 'memory') return;
    try {
      await this.dataSource.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]);
    } catch (error) {
      this.logger.warn(
        { err: error, topic: message.topic, event: message.event },
        'Realtime event not sent to the other instances',
      );
    }
  }

  /** Hands the event to this instance's listeners, in a dispatch span when `parent` is traced. */
  private deliver(event: RealtimeEvent, parent: Context) {
    const span = traced(parent)
      ? tracer.startSpan(
          `realtime dispatch ${event.event}`,
          { kind: SpanKind.CONSUMER, attributes: { 'realtime.topic': event.topic } },
          parent,
        )
      : undefined;
    const dispatch = () => {
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          span?.setStatus({ code: SpanStatusCode.ERROR });
          this.logger.error({ err: error, event: event.event }, 'A realtime listener failed');
        }
      }
    };
    if (!span) return dispatch();
    context.with(trace.setSpan(parent, span), dispatch);
    span.end();
  }

  private onNotification(payload: string) {
    try {
      const { origin, traceparent, ...event } = JSON.parse(payload) as Envelope;
      if (origin === this.instanceId) return;
      this.metrics.busLag.observe(Math.max(0, Date.now() - event.ts) / 1000);
      this.deliver(event, propagation.extract(ROOT_CONTEXT, { traceparent }));
    } catch (error) {
      this.logger.warn({ err: error }, 'Ignored a malformed realtime notification');
    }
  }
}
