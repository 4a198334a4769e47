import { z } from 'zod';

/** The WebSocket endpoint, on the API's origin (not under /api/v1). */
export const WS_PATH = '/ws';

/** Close codes the server uses (RFC 6455 private range 4000-4999, plus standard ones). */
export const WS_CLOSE = {
  /** Not authenticated in time, bad token, token expired, or session revoked. */
  unauthenticated: 4401,
  /** Repeated attempts at topics the user may not use. */
  forbidden: 4403,
  /** Missed a heartbeat. */
  heartbeatLost: 4408,
  /** Too many messages, or too many connections for the user. */
  rateLimited: 4429,
  /** A frame over the size limit. */
  tooBig: 1009,
  /** The server is shutting down: reconnect (to another instance). */
  goingAway: 1001,
  /** Could not keep up: the send buffer grew past its bound. */
  slowConsumer: 1013,
} as const;

/** `user:<id>` (own only, auto-joined), `broadcast` (read-only), `room:<name>` (publishable). */
export const topicSchema = z.union([
  z.string().regex(/^user:[0-9a-f-]{36}$/),
  z.literal('broadcast'),
  z.string().regex(/^room:[a-z0-9_-]{1,64}$/),
]);
export type Topic = z.infer<typeof topicSchema>;

/** The largest `data` a client may publish to a room, in bytes of JSON. */
export const WS_MAX_PUBLISH_BYTES = 4096;

const id = z.string().min(1).max(64).optional();
const topics = z.array(topicSchema).min(1).max(20);

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().min(1).max(4096) }).strict(),
  z.object({ type: z.literal('subscribe'), topics, id }).strict(),
  z.object({ type: z.literal('unsubscribe'), topics, id }).strict(),
  z.object({ type: z.literal('publish'), topic: topicSchema, data: z.unknown(), id }).strict(),
  z.object({ type: z.literal('ping'), id }).strict(),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const WS_ERROR_CODES = [
  'invalid_message',
  'unauthenticated',
  'forbidden_topic',
  'payload_too_large',
] as const;
export type WsErrorCode = (typeof WS_ERROR_CODES)[number];

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    connectionId: z.string(),
    userId: z.uuid(),
    heartbeatMs: z
      .number()
      .int()
      .positive()
      .describe(
        'How often the server sends protocol pings (WS_HEARTBEAT_MS): anything between client and server must keep an idle socket open longer than this',
      ),
  }),
  z.object({ type: z.literal('ack'), id: z.string() }),
  z.object({
    type: z.literal('event'),
    topic: z.string(),
    event: z.string(),
    data: z.unknown(),
    ts: z.number().describe('Milliseconds since the epoch, when it was published'),
  }),
  z.object({
    type: z.literal('error'),
    code: z.enum(WS_ERROR_CODES),
    message: z.string(),
    id: z.string().optional(),
  }),
  z.object({ type: z.literal('pong'), id: z.string().optional() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/**
 * The account's events and their payloads (small: an invalidation hint, not the whole record).
 * A feature declares its own events beside its endpoints (e.g. NOTES_CHANGED).
 */
export const REALTIME_EVENTS = {
  userUpdated: 'user.updated',
  sessionRevoked: 'session.revoked',
  apiKeysRevoked: 'api_keys.revoked',
} as const;

export const sessionRevokedSchema = z.object({ sessionId: z.uuid() });
export type SessionRevoked = z.infer<typeof sessionRevokedSchema>;

export const apiKeysRevokedSchema = z.object({ apiKeyIds: z.array(z.uuid()) });
export type ApiKeysRevoked = z.infer<typeof apiKeysRevokedSchema>;

export const userTopic = (userId: string) => `user:${userId}`;
