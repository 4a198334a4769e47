/** RealtimeClients on `ws`, and what tests wait for on them. */
import {
  type ApiClient,
  RealtimeClient,
  type RealtimeClientOptions,
  type RealtimeEvents,
  type ServerEvent,
} from '@repo/client';
import { WebSocket } from 'ws';

const realtimeClients: RealtimeClient[] = [];

/** A RealtimeClient on `ws` that reconnects fast (tests wait for it), disposed by disposeRealtime. */
export function realtimeClient(
  api: ApiClient,
  url: string,
  options: Partial<RealtimeClientOptions> = {},
) {
  const client = new RealtimeClient({
    url,
    api,
    WebSocket,
    reconnect: { baseDelayMs: 50, maxDelayMs: 500 },
    ...options,
  });
  realtimeClients.push(client);
  return client;
}

export function disposeRealtime() {
  for (const client of realtimeClients.splice(0)) client.dispose();
}

/** The first payload of `event` that matches, from now on (rejects after `timeoutMs`). */
export function nextEvent<K extends keyof RealtimeEvents>(
  client: RealtimeClient,
  event: K,
  match: (payload: RealtimeEvents[K]) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<RealtimeEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`No ${String(event)} within ${timeoutMs} ms (state ${client.state})`));
    }, timeoutMs);
    const off = client.on(event, (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Connects and resolves with the first `ready` (authenticated, its own user topic joined). */
export async function connected(client: RealtimeClient) {
  const ready = nextEvent(client, 'ready');
  client.connect();
  return ready;
}

/** Every event of the client's own user topic, in the order received. */
export function userEvents(client: RealtimeClient) {
  const events: ServerEvent[] = [];
  client.onUserEvent((event) => events.push(event));
  return events;
}
