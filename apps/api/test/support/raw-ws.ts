import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect as tcpConnect, type Socket } from 'node:net';
import { WS_PATH } from '@repo/contracts';
import { type TestApp } from './test-app.js';

/** A frame from the server (servers never mask). */
export interface RawFrame {
  opcode: number;
  payload: Buffer;
}

const OPCODE = { text: 0x1, close: 0x8, ping: 0x9, pong: 0xa } as const;

/**
 * A WebSocket client written by hand over TCP, for what `ws` will not do: it never answers the
 * server's close frame nor its pings, and keeps sending frames after the server closed.
 */
export interface RawWsClient {
  socket: Socket;
  frames: RawFrame[];
  /** Sends a masked text frame (the JSON of `message` unless it is a string). */
  send(message: unknown): void;
  /** The first frame (received or to come) that matches. */
  next(match: (frame: RawFrame) => boolean, timeoutMs?: number): Promise<RawFrame>;
  /** The close code of the server's close frame, when it comes. */
  closeFrame(timeoutMs?: number): Promise<number>;
  destroy(): void;
}

export async function rawConnect(t: TestApp, headers: Record<string, string> = {}) {
  const url = new URL(t.origin);
  const socket = tcpConnect(Number(url.port), url.hostname);
  await once(socket, 'connect');
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.write(
    `GET ${WS_PATH} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
      `${extra.join('')}\r\n`,
  );

  const frames: RawFrame[] = [];
  const waiters = new Set<() => void>();
  let buffer = Buffer.alloc(0);
  let upgraded = false;
  let onUpgrade: ((status: string) => void) | undefined;

  const parseFrames = () => {
    for (;;) {
      if (buffer.length < 2) return;
      const opcode = buffer[0]! & 0x0f;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (buffer.length < offset + length) return;
      frames.push({ opcode, payload: buffer.subarray(offset, offset + length) });
      buffer = buffer.subarray(offset + length);
      for (const wake of waiters) wake();
    }
  };

  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (!upgraded) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = buffer.subarray(0, end).toString('latin1');
      buffer = buffer.subarray(end + 4);
      upgraded = true;
      onUpgrade?.(head.split('\r\n')[0]!);
    }
    parseFrames();
  });

  const status = await new Promise<string>((resolve, reject) => {
    onUpgrade = resolve;
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('Closed before the upgrade')));
  });
  if (!/^HTTP\/1\.1 101 /.test(status)) {
    socket.destroy();
    throw new Error(`Upgrade refused: ${status}`);
  }
  socket.on('error', () => undefined);

  const next = (match: (frame: RawFrame) => boolean, timeoutMs = 5_000) =>
    new Promise<RawFrame>((found, fail) => {
      const check = () => {
        const hit = frames.find(match);
        if (!hit) return false;
        waiters.delete(check);
        clearTimeout(timer);
        found(hit);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        fail(new Error(`No matching frame within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });

  const client: RawWsClient = {
    socket,
    frames,
    send(message) {
      const payload = Buffer.from(
        typeof message === 'string' ? message : JSON.stringify(message),
        'utf8',
      );
      const mask = randomBytes(4);
      const length =
        payload.length < 126
          ? Buffer.from([0x80 | payload.length])
          : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
      const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
      socket.write(Buffer.concat([Buffer.from([0x80 | OPCODE.text]), length, mask, masked]));
    },
    next,
    async closeFrame(timeoutMs) {
      const frame = await next((f) => f.opcode === OPCODE.close, timeoutMs);
      return frame.payload.readUInt16BE(0);
    },
    destroy: () => socket.destroy(),
  };
  return client;
}

/** The parsed JSON text frames received so far. */
export const textMessages = (client: RawWsClient) =>
  client.frames
    .filter((f) => f.opcode === OPCODE.text)
    .map((f) => JSON.parse(f.payload.toString('utf8')) as { type: string; [key: string]: unknown });
