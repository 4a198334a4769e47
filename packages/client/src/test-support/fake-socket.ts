import { type ClientMessage, type ServerMessage } from '@repo/contracts';
import { type WebSocketLike } from '../realtime/realtime-types.js';

/** A WebSocket whose server side the test plays by hand. */
export class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];

  static get last(): FakeSocket {
    const socket = FakeSocket.instances.at(-1);
    if (!socket) throw new Error('No socket was opened');
    return socket;
  }

  static reset() {
    FakeSocket.instances = [];
  }

  readyState = 0;
  sent: ClientMessage[] = [];
  closedWith: { code?: number; reason?: string } | undefined;
  terminated = false;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data) as ClientMessage);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }

  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }

  // ------------------------------------------------------------ the server's side

  accept(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  reply(message: ServerMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** Frames of one type the client sent. */
  of<T extends ClientMessage['type']>(type: T): Extract<ClientMessage, { type: T }>[] {
    return this.sent.filter((m): m is Extract<ClientMessage, { type: T }> => m.type === type);
  }
}
