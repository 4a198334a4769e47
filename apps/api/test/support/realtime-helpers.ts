import { type ServerMessage } from '@repo/contracts';
import { type Credentials } from '@repo/test-support';
import { WebSocket } from 'ws';
import { login, registerVerified, type Session } from './auth-client.js';
import { startTestApp, type TestApp } from './test-app.js';
import { connect, type WsClient } from './ws-client.js';

export type ServerEvent = Extract<ServerMessage, { type: 'event' }>;

export interface TestUser {
  credentials: Credentials;
  session: Session;
  userId: string;
}

/** A verified user, logged in once as a browser. */
export async function newUser(t: TestApp): Promise<TestUser> {
  const credentials = await registerVerified(t);
  const session = await login(t, credentials);
  return { credentials, session, userId: session.body.user.id };
}

/**
 * Two API instances on one database, and a user of theirs: events published on one must reach
 * the sockets of the other. Started one after the other, since both run the migrations.
 */
export async function twoInstances(databaseUrl: string, env: Record<string, string>) {
  const a = await startTestApp({ env, databaseUrl });
  const b = await startTestApp({ env, databaseUrl });
  return {
    a,
    b,
    alice: await newUser(a),
    close: async () => {
      await b.close();
      await a.close();
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Opens sockets and remembers them, so that a test's leftovers can be cut off afterwards. */
export function socketPool() {
  const all: WsClient[] = [];
  const open = async (t: TestApp, options?: Parameters<typeof connect>[1]) => {
    const client = await connect(t, options);
    all.push(client);
    return client;
  };
  return {
    open,
    /** A socket authenticated with an `auth` frame, once the server said `ready`. */
    async authed(t: TestApp, accessToken: string, options?: Parameters<typeof connect>[1]) {
      const client = await open(t, options);
      client.send({ type: 'auth', token: accessToken });
      await client.next('ready');
      return client;
    },
    terminateAll() {
      for (const client of all.splice(0)) client.socket.terminate();
    },
  };
}

let sequence = 0;
/** A fresh message id, unique in the run of a file. */
export const nextId = (prefix = 'm') => `${prefix}-${sequence++}`;

/**
 * A ping round trip. The server handles a connection's frames in order and TCP keeps its
 * answers in order, so once the pong is here, everything sent to this socket before it is too.
 */
export async function roundTrip(client: WsClient, timeoutMs = 5_000) {
  const id = nextId('rt');
  client.send({ type: 'ping', id });
  await client.next('pong', (m) => m.id === id, timeoutMs);
}

/** The `event` messages received so far, of this event name if given. */
export const eventsOf = (client: WsClient, event?: string): ServerEvent[] =>
  client.messages.filter(
    (m): m is ServerEvent => m.type === 'event' && (event === undefined || m.event === event),
  );

/** The close of the socket, or a rejection when it is still open after `timeoutMs`. */
export const closedWithin = (client: WsClient, timeoutMs = 5_000) =>
  within(client.closed, timeoutMs, 'The socket close');

export const isOpen = (client: WsClient) => client.socket.readyState === WebSocket.OPEN;

/** Rejects when `promise` has not settled within `timeoutMs`. */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: not done within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
