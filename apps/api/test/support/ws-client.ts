import { type ServerMessage, WS_PATH } from '@repo/contracts';
import { WebSocket } from 'ws';
import { type TestApp } from './test-app.js';

export interface WsClient {
  socket: WebSocket;
  /** Every message received so far, parsed. */
  messages: ServerMessage[];
  send(message: unknown): void;
  /** The first message (already received or to come) that matches. */
  next<T extends ServerMessage['type']>(
    type: T,
    match?: (m: Extract<ServerMessage, { type: T }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<ServerMessage, { type: T }>>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
}

const wsUrl = (t: TestApp) => `${t.origin.replace(/^http/, 'ws')}${WS_PATH}`;

/** Opens a real WebSocket to the app; rejects with the HTTP status if the upgrade is refused. */
export function connect(
  t: TestApp,
  options: { headers?: Record<string, string>; autoPong?: boolean } = {},
): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(t), {
      headers: options.headers,
      autoPong: options.autoPong ?? true,
    });
    const messages: ServerMessage[] = [];
    const waiters = new Set<() => void>();
    socket.on('message', (data) => {
      messages.push(JSON.parse((data as Buffer).toString('utf8')) as ServerMessage);
      for (const wake of waiters) wake();
    });
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      socket.on('close', (code, reason) => done({ code, reason: String(reason) })),
    );
    socket.on('unexpected-response', (_req, res) =>
      reject(new UpgradeRefused(res.statusCode ?? 0)),
    );
    socket.on('error', reject);
    socket.on('open', () =>
      resolve({
        socket,
        messages,
        closed,
        send: (message) =>
          socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
        next: (type, match, timeoutMs = 5_000) =>
          new Promise((found, fail) => {
            const check = () => {
              const hit = messages.find(
                (m): m is never => m.type === type && (!match || match(m as never)),
              );
              if (!hit) return false;
              waiters.delete(check);
              clearTimeout(timer);
              found(hit);
              return true;
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(
                new Error(
                  `No ${type} message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`,
                ),
              );
            }, timeoutMs);
            if (!check()) waiters.add(check);
          }),
      }),
    );
  });
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`Upgrade refused with HTTP ${status}`);
  }
}
