import { WS_MAX_PUBLISH_BYTES } from '@repo/contracts';
import { z } from 'zod';

/** Room names as the server takes them in `room:<name>`. */
export const roomNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_-]{1,64}$/, 'Use 1 to 64 letters, digits, - or _');

export const MAX_MESSAGE_LENGTH = 1_000;

/** What this app publishes to a room. */
export const roomMessageSchema = z.object({
  text: z.string().trim().min(1).max(MAX_MESSAGE_LENGTH),
  name: z.string().max(100).optional(),
  /** The sending tab (the server only says which user sent it, and a user may have many). */
  tab: z.string().max(64).optional(),
});

/** This tab's id in room messages: tells "you" apart from the same user on another device. */
export const TAB_ID = Math.random().toString(36).slice(2, 12);
export type RoomMessage = z.infer<typeof roomMessageSchema>;

/** A `message` event of a room: `{ from, data }`, the data being anything another client sent. */
const roomEventSchema = z.object({ from: z.string(), data: roomMessageSchema });

export interface ReceivedMessage {
  /** Unique within the page (for React keys). */
  key: string;
  fromUserId: string;
  /** The tab that sent it, when it said. */
  tab: string | null;
  name: string | null;
  text: string;
  ts: number;
}

let counter = 0;

/** A received room event as a message to show; null for data this app does not understand. */
export function parseRoomEvent(event: { event: string; data: unknown; ts: number }) {
  if (event.event !== 'message') return null;
  const parsed = roomEventSchema.safeParse(event.data);
  if (!parsed.success) return null;
  const message: ReceivedMessage = {
    key: `${event.ts}-${++counter}`,
    fromUserId: parsed.data.from,
    tab: parsed.data.data.tab ?? null,
    name: parsed.data.data.name ?? null,
    text: parsed.data.data.text,
    ts: event.ts,
  };
  return message;
}

/** Whether a message fits in one publish (the server refuses data over 4 KB of JSON). */
export const fitsInPublish = (message: RoomMessage): boolean =>
  new TextEncoder().encode(JSON.stringify(message)).length <= WS_MAX_PUBLISH_BYTES;
