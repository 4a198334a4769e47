import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  type ClientMessage,
  clientMessageSchema,
  apiKeysRevokedSchema,
  REALTIME_EVENTS,
  type ServerMessage,
  sessionRevokedSchema,
  userTopic,
  WS_CLOSE,
  WS_MAX_PUBLISH_BYTES,
  type WsErrorCode,
} from '@repo/contracts';
import { trace } from '@opentelemetry/api';
import { PinoLogger } from 'nestjs-pino';
import { type RawData, type WebSocket } from 'ws';
import { Config } from '../core/config/config.js';
import { durationSeconds } from '../core/config/duration.js';
import { Metrics } from '../core/telemetry/metrics.js';
import { ConnectionLeases } from './connection-leases.js';
import { Connection } from './connection.js';
import { type RealtimeEvent, RealtimeBus } from '../core/realtime-bus/realtime-bus.js';
import { type SocketIdentity, WsAuthenticator } from './ws-authenticator.js';

/** A text frame's content (ws hands it over as a Buffer, or fragments of one). */
const textOf = (data: RawData): string =>
  (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString('utf8');

/** Forbidden subscribe/publish attempts a connection may make before it is closed (4403). */
const MAX_FORBIDDEN_ATTEMPTS = 3;
/** Event name of what clients publish to rooms. */
const ROOM_MESSAGE = 'message';

/** The realtime protocol (docs/realtime.md): connections, authentication, topics and delivery. */
@Injectable()
export class RealtimeHub implements OnModuleInit, OnModuleDestroy {
  private readonly connections = new Set<Connection>();
  private readonly subscribers = new Map<string, Set<Connection>>();
  /** Sessions ended lately: a token of theirs still being checked must not get in. */
  private readonly ended = new Set<string>();
  private readonly accessTtlMs: number;
  private heartbeat: NodeJS.Timeout | undefined;
  private unsubscribeBus: (() => void) | undefined;

  constructor(
    private readonly bus: RealtimeBus,
    private readonly authenticator: WsAuthenticator,
    private readonly leases: ConnectionLeases,
    private readonly config: Config,
    private readonly logger: PinoLogger,
    private readonly metrics: Metrics,
  ) {
    logger.setContext(RealtimeHub.name);
    this.accessTtlMs = durationSeconds(config.ACCESS_TOKEN_TTL) * 1000;
  }

  onModuleInit() {
    this.unsubscribeBus = this.bus.onEvent((event) => this.dispatch(event));
    this.heartbeat = setInterval(() => this.beat(), this.config.WS_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onModuleDestroy() {
    clearInterval(this.heartbeat);
    this.unsubscribeBus?.();
  }

  /** Shutdown: every client is told to reconnect, elsewhere (1001). */
  closeAll() {
    for (const connection of this.connections)
      connection.close(WS_CLOSE.goingAway, 'Server shutting down');
  }

  /** A new socket; `identity` when the upgrade carried valid credentials. */
  accept(socket: WebSocket, identity: SocketIdentity | undefined) {
    const connection = new Connection(socket, this.config.WS_MAX_BUFFERED_BYTES);
    this.connections.add(connection);
    this.metrics.wsConnections.set(this.connections.size);
    socket.on('pong', () => (connection.alive = true));
    socket.on('message', (data, isBinary) => void this.receive(connection, data, isBinary));
    socket.on('close', () => this.forget(connection));
    if (identity) void this.authenticated(connection, identity);
    else {
      connection.setTimer('auth', this.config.WS_AUTH_TIMEOUT_MS, () =>
        connection.close(WS_CLOSE.unauthenticated, 'Authentication timeout: send an auth message'),
      );
    }
  }

  private forget(connection: Connection) {
    connection.close(WS_CLOSE.goingAway, 'Closed');
    this.connections.delete(connection);
    this.metrics.wsConnections.set(this.connections.size);
    for (const topic of connection.topics) this.leave(connection, topic);
    if (connection.leased) this.release(connection);
  }

  private async receive(connection: Connection, data: RawData, isBinary: boolean) {
    // Once the server has closed a socket, nothing it still sends counts.
    if (connection.closing) return;
    if (!connection.withinRate(this.config.WS_MESSAGES_PER_10S)) {
      connection.close(WS_CLOSE.rateLimited, 'Too many messages');
      return;
    }
    let message: ClientMessage;
    try {
      if (isBinary) throw new Error('binary');
      message = clientMessageSchema.parse(JSON.parse(textOf(data)));
    } catch {
      this.error(connection, 'invalid_message', 'Send JSON text frames of the documented shapes');
      return;
    }
    if (message.type === 'ping')
      return connection.send({ type: 'pong', ...(message.id ? { id: message.id } : {}) });
    if (message.type === 'auth') return this.auth(connection, message.token);
    if (!connection.identity)
      return this.error(connection, 'unauthenticated', 'Authenticate first');
    if (message.type === 'subscribe') return this.subscribe(connection, message.topics, message.id);
    if (message.type === 'unsubscribe') {
      for (const topic of message.topics) this.leave(connection, topic);
      return this.ack(connection, message.id);
    }
    return this.publish(connection, message.topic, message.data, message.id);
  }

  /** First authentication, or a fresh token for the same user (after a refresh). */
  private async auth(connection: Connection, token: string) {
    const identity = await this.authenticator.accessToken(token);
    if (connection.closing) return;
    if (!identity || (connection.userId && identity.principal.userId !== connection.userId)) {
      connection.close(WS_CLOSE.unauthenticated, 'Invalid token');
      return;
    }
    await this.authenticated(connection, identity);
  }

  private async authenticated(connection: Connection, identity: SocketIdentity) {
    const first = !connection.identity;
    // The token is good: the wait for a lease is not the client's to time out.
    connection.clearTimer('auth');
    if (first && !(await this.admit(connection, identity.principal.userId))) return;
    const principal = identity.principal;
    // Its end may have been announced while the token was being checked.
    if (principal.kind === 'session' && this.ended.has(principal.sessionId)) {
      connection.close(WS_CLOSE.unauthenticated, 'Session ended');
      return;
    }
    connection.identity = identity;
    if (identity.expiresAt) {
      connection.setTimer('expiry', identity.expiresAt - Date.now(), () =>
        connection.close(WS_CLOSE.unauthenticated, 'Token expired: send a fresh auth message'),
      );
    }
    const userId = identity.principal.userId;
    if (first) this.join(connection, userTopic(userId));
    connection.send({
      type: 'ready',
      connectionId: connection.id,
      userId,
      heartbeatMs: this.config.WS_HEARTBEAT_MS,
    });
  }

  /**
   * A first authentication counts against its user's connections on every instance
   * (WS_MAX_CONNECTIONS_PER_USER); over it, the socket is closed (4429). False when it is closed.
   */
  private async admit(connection: Connection, userId: string): Promise<boolean> {
    let admitted: boolean;
    try {
      connection.leased = await this.leases.admit(connection.id, userId);
      admitted = connection.leased;
    } catch (error) {
      // The database is out: the cap holds on this instance at least.
      this.logger.warn({ err: error }, 'WebSocket connections counted on this instance only');
      const open = [...this.connections].filter((c) => c.userId === userId).length;
      admitted = open < this.config.WS_MAX_CONNECTIONS_PER_USER;
    }
    // Closed while it waited: forget() may have run before the lease was taken.
    if (connection.closing) {
      if (connection.leased) this.release(connection);
      return false;
    }
    if (!admitted) connection.close(WS_CLOSE.rateLimited, 'Too many connections for this user');
    return admitted;
  }

  private release(connection: Connection) {
    this.leases
      .release(connection.id)
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'A WebSocket connection lease was left to expire'),
      );
  }

  private subscribe(connection: Connection, topics: string[], id: string | undefined) {
    const forbidden = topics.filter(
      (topic) => topic.startsWith('user:') && topic !== userTopic(connection.userId!),
    );
    if (forbidden.length > 0)
      return this.forbidden(connection, `Not your topic: ${forbidden.join(', ')}`, id);
    for (const topic of topics) this.join(connection, topic);
    this.ack(connection, id);
  }

  private async publish(
    connection: Connection,
    topic: string,
    data: unknown,
    id: string | undefined,
  ) {
    if (!topic.startsWith('room:'))
      return this.forbidden(connection, 'Only room:<name> topics take publishes', id);
    if (Buffer.byteLength(JSON.stringify(data ?? null)) > WS_MAX_PUBLISH_BYTES) {
      return this.error(
        connection,
        'payload_too_large',
        `data is over ${WS_MAX_PUBLISH_BYTES} bytes`,
        id,
      );
    }
    await this.bus.publish(topic, ROOM_MESSAGE, { from: connection.userId, data: data ?? null });
    this.ack(connection, id);
  }

  /** Delivers an event to this instance's subscribers of its topic, and acts on session ends. */
  private dispatch(event: RealtimeEvent) {
    const subscribers = this.subscribers.get(event.topic);
    if (subscribers?.size) {
      // Serialised once for every subscriber: fan-out cost is the sends, not JSON.
      const frame = JSON.stringify({
        type: 'event',
        topic: event.topic,
        event: event.event,
        data: event.data,
        ts: event.ts,
      } satisfies ServerMessage);
      for (const connection of subscribers) connection.sendFrame(frame);
      this.metrics.wsDeliveries.inc(subscribers.size);
      // The bus's dispatch span, when the event is traced.
      trace.getActiveSpan()?.setAttribute('realtime.deliveries', subscribers.size);
    }
    if (event.event === REALTIME_EVENTS.sessionRevoked) {
      const revoked = sessionRevokedSchema.safeParse(event.data);
      if (revoked.success)
        this.end(
          (c) => c.sessionId === revoked.data.sessionId,
          'Session ended',
          revoked.data.sessionId,
        );
    }
    if (event.event === REALTIME_EVENTS.apiKeysRevoked) {
      const revoked = apiKeysRevokedSchema.safeParse(event.data);
      if (revoked.success) {
        const ids = new Set(revoked.data.apiKeyIds);
        this.end((c) => c.apiKeyId !== undefined && ids.has(c.apiKeyId), 'API key revoked');
      }
    }
  }

  /** Closes the matching sockets (4401); a session id is remembered for as long as its tokens live. */
  private end(matches: (connection: Connection) => boolean, reason: string, sessionId?: string) {
    if (sessionId) {
      this.ended.add(sessionId);
      setTimeout(() => this.ended.delete(sessionId), this.accessTtlMs).unref();
    }
    for (const connection of this.connections) {
      if (matches(connection)) connection.close(WS_CLOSE.unauthenticated, reason);
    }
  }

  /** Pings everyone; those that did not answer the previous ping are gone. */
  private beat() {
    const leased = [...this.connections].filter((c) => c.leased && !c.closing && c.userId);
    this.leases
      .renew(leased.map((c) => ({ id: c.id, userId: c.userId! })))
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'WebSocket connection leases not renewed'),
      );
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.close(WS_CLOSE.heartbeatLost, 'Heartbeat lost');
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }

  private join(connection: Connection, topic: string) {
    connection.topics.add(topic);
    let members = this.subscribers.get(topic);
    if (!members) this.subscribers.set(topic, (members = new Set()));
    members.add(connection);
  }

  private leave(connection: Connection, topic: string) {
    connection.topics.delete(topic);
    const members = this.subscribers.get(topic);
    members?.delete(connection);
    if (members?.size === 0) this.subscribers.delete(topic);
  }

  private forbidden(connection: Connection, message: string, id: string | undefined) {
    if (++connection.forbiddenAttempts >= MAX_FORBIDDEN_ATTEMPTS) {
      connection.close(WS_CLOSE.forbidden, 'Too many forbidden attempts');
      return;
    }
    this.error(connection, 'forbidden_topic', message, id);
  }

  private ack(connection: Connection, id: string | undefined) {
    if (id) connection.send({ type: 'ack', id });
  }

  private error(connection: Connection, code: WsErrorCode, message: string, id?: string) {
    connection.send({ type: 'error', code, message, ...(id ? { id } : {}) });
  }
}
