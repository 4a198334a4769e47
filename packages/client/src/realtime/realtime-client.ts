import { type ClientMessage, type ServerMessage, topicSchema, userTopic } from '@repo/contracts';
import { Emitter } from '../emitter.js';
import { Acknowledgements, type AwaitingAck } from './acknowledgements.js';
import { BoundedQueue } from './bounded-queue.js';
import { Heartbeat } from './heartbeat.js';
import { RealtimeConnection } from './realtime-connection.js';
import { RealtimeError } from './realtime-error.js';
import {
  type EventHandler,
  type PublishMessage,
  type RealtimeClientOptions,
  type RealtimeEvents,
  type RealtimeState,
  type ServerEvent,
} from './realtime-types.js';
import { TopicRegistry } from './topic-registry.js';

interface Outgoing {
  message: PublishMessage & { id: string };
  awaiting: AwaitingAck;
}

/**
 * The realtime connection (docs/realtime.md): authenticates with an `auth` frame,
 * reconnects with capped exponential backoff and jitter, resubscribes every topic, queues
 * publishes while disconnected (bounded), checks liveness with ping/pong, re-authenticates after
 * each token refresh, and after a 4401 close refreshes the token before reconnecting.
 */
export class RealtimeClient {
  readonly url: string;
  private readonly events = new Emitter<RealtimeEvents>();
  private readonly connection: RealtimeConnection;
  private readonly topics = new TopicRegistry();
  private readonly acks: Acknowledgements;
  private readonly heartbeat: Heartbeat | undefined;
  private readonly queue: BoundedQueue<Outgoing>;
  private nextId = 0;
  private identity: { connectionId: string; userId: string } | undefined;

  constructor(options: RealtimeClientOptions) {
    this.url = options.url;
    this.connection = new RealtimeConnection(options.url, options, this.events, {
      receive: (message) => this.receive(message),
      lost: (error) => {
        this.heartbeat?.stop();
        this.acks.abandon(error);
      },
    });
    this.acks = new Acknowledgements(options.ackTimeoutMs ?? 10_000);
    this.heartbeat =
      options.heartbeat === false
        ? undefined
        : new Heartbeat(
            {
              intervalMs: options.heartbeat?.intervalMs ?? 20_000,
              timeoutMs: options.heartbeat?.timeoutMs ?? 10_000,
            },
            () => this.ping(),
            (reason) => this.connection.giveUp(reason),
          );
    this.queue = new BoundedQueue(options.maxQueue ?? 100);
  }

  get state(): RealtimeState {
    return this.connection.state;
  }

  /** The user the server authenticated (from `ready`). */
  get userId(): string | undefined {
    return this.identity?.userId;
  }

  get connectionId(): string | undefined {
    return this.identity?.connectionId;
  }

  /** Messages waiting for the connection. */
  get queued(): number {
    return this.queue.size;
  }

  /** Messages dropped because the queue was full. */
  get droppedCount(): number {
    return this.queue.dropped;
  }

  /** Topics subscribed to (resubscribed after every reconnect). */
  get subscribedTopics(): string[] {
    return this.topics.topics;
  }

  on<K extends keyof RealtimeEvents>(
    event: K,
    listener: (payload: RealtimeEvents[K]) => void,
  ): () => void {
    return this.events.on(event, listener);
  }

  once<K extends keyof RealtimeEvents>(
    event: K,
    listener: (payload: RealtimeEvents[K]) => void,
  ): () => void {
    return this.events.once(event, listener);
  }

  /** Starts (or restarts) connecting; keeps reconnecting until `close()`. */
  connect(): void {
    this.connection.connect();
  }

  /** Closes the connection and stops reconnecting. Subscriptions are kept for a later `connect()`. */
  close(): void {
    this.connection.close();
  }

  /** `close()`, and stops listening to the ApiClient. */
  dispose(): void {
    this.connection.dispose();
    this.events.removeAllListeners();
  }

  /**
   * Handles the events of a topic (`room:<name>`, `broadcast`, or your own `user:<id>`).
   * The first handler of a topic subscribes; the returned function removes this handler, and the
   * last one unsubscribes. Subscriptions survive reconnects.
   */
  subscribe(topic: string, handler: EventHandler): () => void {
    if (!topicSchema.safeParse(topic).success) {
      throw new TypeError(`Not a topic: ${topic} (user:<id>, broadcast or room:<name>)`);
    }
    if (this.topics.add(topic, handler) && this.state === 'open') {
      this.connection.send(this.subscribeFrame([topic]));
    }
    return () => {
      if (this.topics.remove(topic, handler) && this.state === 'open') {
        this.connection.send({ type: 'unsubscribe', topics: [topic] });
      }
    };
  }

  /**
   * Handles the events of the authenticated user's own topic (`user:<id>`, joined by the server
   * on its own): `user.updated`, `session.revoked`, and those of the app's features.
   */
  onUserEvent(handler: EventHandler): () => void {
    return this.topics.addUserHandler(handler);
  }

  /**
   * Publishes to a `room:<name>`; resolves on the server's ack. While disconnected the message
   * waits in the bounded queue (rejected with `dropped` if pushed out). Safe to not await.
   */
  publish(topic: string, data: unknown): Promise<void> {
    if (!topic.startsWith('room:') || !topicSchema.safeParse(topic).success) {
      // The server counts publishes elsewhere as abuse (4403 after a few): refuse them here.
      throw new TypeError(`Only room:<name> topics take publishes, not ${topic}`);
    }
    const id = this.newId();
    const promise = new Promise<void>((resolve, reject) => {
      const outgoing: Outgoing = {
        message: { type: 'publish', topic, data, id },
        awaiting: { resolve, reject },
      };
      if (this.state === 'open') this.sendPublish(outgoing);
      else this.enqueue(outgoing);
    });
    promise.catch(() => undefined); // callers that ignore it get no unhandled rejection
    return promise;
  }

  private receive(message: ServerMessage): void {
    switch (message.type) {
      case 'ready':
        return this.onReady(message);
      case 'event':
        return this.onEvent(message);
      case 'pong':
        return this.heartbeat?.pong();
      case 'ack':
        return this.acks.acked(message.id);
      case 'error':
        return this.onServerError(message);
    }
  }

  private onReady(ready: { connectionId: string; userId: string }): void {
    this.identity = { connectionId: ready.connectionId, userId: ready.userId };
    if (this.connection.ready()) {
      for (const topics of this.topics.batches()) this.connection.send(this.subscribeFrame(topics));
      for (const outgoing of this.queue.drain()) this.sendPublish(outgoing);
      this.heartbeat?.start();
    }
    this.events.emit('ready', this.identity);
  }

  private onEvent(event: ServerEvent): void {
    this.topics.deliver(event, this.identity && userTopic(this.identity.userId));
    this.events.emit('event', event);
  }

  private onServerError(error: Extract<ServerMessage, { type: 'error' }>): void {
    const topics = error.id
      ? this.acks.refused(error.id, new RealtimeError(error.code, error.message))
      : undefined;
    // A refused subscription is forgotten: resubscribing would only earn a 4403.
    if (topics) this.topics.forget(topics);
    this.events.emit('serverError', {
      code: error.code,
      message: error.message,
      ...(error.id ? { id: error.id } : {}),
      ...(topics ? { topics } : {}),
    });
  }

  private newId(): string {
    return `c${++this.nextId}`;
  }

  /** The heartbeat's ping; false when no connection is open to take it. */
  private ping(): boolean {
    if (this.state !== 'open') return false;
    this.connection.send({ type: 'ping', id: this.newId() });
    return true;
  }

  private subscribeFrame(topics: string[]): ClientMessage {
    const id = this.newId();
    this.acks.subscribeSent(id, topics);
    return { type: 'subscribe', topics, id };
  }

  private sendPublish({ message, awaiting }: Outgoing): void {
    this.acks.publishSent(message.id, awaiting);
    this.connection.send(message);
  }

  private enqueue(outgoing: Outgoing): void {
    const dropped = this.queue.push(outgoing);
    if (!dropped) return;
    dropped.awaiting.reject(
      new RealtimeError('dropped', 'The outgoing queue was full: the oldest message was dropped'),
    );
    this.events.emit('dropped', { message: dropped.message, dropped: this.queue.dropped });
  }
}
