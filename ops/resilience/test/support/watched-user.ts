import { type RealtimeClient } from '@repo/client';
import { NOTES_CHANGED } from '@repo/contracts';
import { connected, realtimeClient, verifiedUser } from '@repo/test-support';
import { type TestApi } from './api.js';

/** A verified user whose WebSocket (on the first API process) records the notes it hears of. */
export interface WatchedUser {
  /** The user's bearer header. */
  headers: () => { authorization: string };
  /** The realtime client, open once `watchedUser` resolves. */
  rt: RealtimeClient;
  /** The ids of the `notes.changed` events received, in order (clear it with `length = 0`). */
  received: string[];
}

/**
 * The user the fault tests act as: their requests carry its token, and its socket shows whether
 * events still arrive (through PostgreSQL LISTEN/NOTIFY when a note is written on another process).
 */
export async function watchedUser(api: TestApi): Promise<WatchedUser> {
  const user = await verifiedUser(api.apiUrl);
  const received: string[] = [];
  const rt = realtimeClient(user.client, api.wsUrl);
  rt.onUserEvent((event) => {
    if (event.event === NOTES_CHANGED) received.push((event.data as { id: string }).id);
  });
  const ready = await connected(rt);
  if (ready.userId !== user.user.id) {
    throw new Error(`The socket is ${ready.userId}'s, not ${user.user.id}'s`);
  }
  return { headers: () => ({ authorization: `Bearer ${user.accessToken}` }), rt, received };
}
