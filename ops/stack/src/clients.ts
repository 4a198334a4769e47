/**
 * Clients of a running API as a Node script makes them: verified users through the API (the email
 * from the dev outbox) and RealtimeClients on `ws`. Shared by the stack's, the doctor's and the
 * resilience suite's tests.
 */
import {
  ApiClient,
  type ApiClientOptions,
  RealtimeClient,
  type RealtimeClientOptions,
  type RealtimeEvents,
  type ServerEvent,
} from '@repo/client';
import { type OutboxMessage } from '@repo/contracts';
import { WebSocket } from 'ws';

/** A user's credentials, unique per call. */
export interface Credentials {
  email: string;
  password: string;
  name: string;
}

let sequence = 0;
const newCredentials = (): Credentials => ({
  email: `stack-${process.pid}-${Date.now()}-${sequence++}@example.com`,
  password: 'correct horse battery staple',
  name: 'Stack User',
});

const clients: ApiClient[] = [];

/** A client as a Node script uses it: no Origin, the refresh token in the body. */
function nativeClient(apiUrl: string, options: Partial<ApiClientOptions> = {}) {
  const client = new ApiClient({ baseUrl: apiUrl, mode: 'native', ...options });
  clients.push(client);
  return client;
}

/** Disposes every client made here (their refresh timers). */
export function disposeClients() {
  for (const client of clients.splice(0)) client.dispose();
}

/** The newest email to `to` whose subject matches (polled: some are written in the background). */
async function lastEmail(
  client: ApiClient,
  to: string,
  subject: RegExp,
  timeoutMs = 5_000,
): Promise<OutboxMessage> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const found = (await client.dev.outbox({ query: { to } })).find((m) => subject.test(m.subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No email to ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A verified user, logged in through a new native client: register, confirm the email with the
 * link from the dev outbox (`GET /dev/outbox`, development only), log in.
 */
export async function verifiedUser(apiUrl: string, options: Partial<ApiClientOptions> = {}) {
  const credentials = newCredentials();
  const client = nativeClient(apiUrl, options);
  await client.auth.register({ body: credentials });
  const email = await lastEmail(client, credentials.email, /Confirm/);
  const token = new URL(email.link!).searchParams.get('token')!;
  await client.auth.verifyEmail({ body: { token } });
  await client.auth.login({ body: { email: credentials.email, password: credentials.password } });
  return { client, credentials, user: client.user!, accessToken: client.accessToken! };
}

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
