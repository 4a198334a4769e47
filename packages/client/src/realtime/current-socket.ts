import { type ClientMessage, type ServerMessage } from '@repo/contracts';
import { type WebSocketLike } from './realtime-types.js';
import { parseServerMessage } from './server-message.js';

const OPEN = 1;

export interface SocketListeners {
  open(): void;
  message(message: ServerMessage): void;
  close(code: number, reason: string): void;
}

/**
 * The connection's socket of the moment. Each socket has a generation: the events of one that was
 * replaced or let go are ignored, however late they come.
 */
export class CurrentSocket {
  private socket: WebSocketLike | undefined;
  private generation = 0;

  constructor(
    private readonly Socket: new (url: string) => WebSocketLike,
    private readonly url: string,
  ) {}

  /** Which socket is current: unchanged across an await means the same socket. */
  get version(): number {
    return this.generation;
  }

  /** Opens a socket in place of the current one; throws when the WebSocket constructor does. */
  open(listeners: SocketListeners): void {
    const generation = ++this.generation;
    const socket = new this.Socket(this.url);
    this.socket = socket;
    const current = () => generation === this.generation;
    socket.onopen = () => {
      if (current()) listeners.open();
    };
    socket.onmessage = (event) => {
      const message = current() ? parseServerMessage(event.data) : undefined;
      if (message) listeners.message(message);
    };
    socket.onclose = (event) => {
      if (current()) listeners.close(event.code, event.reason);
    };
    socket.onerror = () => undefined; // a close event follows
  }

  /** Sends when the socket is open; otherwise the message is lost (callers queue first). */
  send(message: ClientMessage): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return;
    try {
      socket.send(JSON.stringify(message));
    } catch (error) {
      console.error('[@repo/client] could not send on the WebSocket', error);
    }
  }

  /** Lets the socket go, its late events ignored; returns it, for the caller to close. */
  release(): WebSocketLike | undefined {
    const socket = this.socket;
    this.socket = undefined;
    this.generation++;
    return socket;
  }
}

/** Closes a socket let go, silently: `terminate` (where there is one) unless it is a normal close. */
export function closeSocket(socket: WebSocketLike, code: number, reason: string): void {
  socket.onopen = socket.onmessage = socket.onerror = null;
  socket.onclose = null;
  try {
    if (socket.terminate && code !== 1000) socket.terminate();
    else socket.close(code, reason);
  } catch {
    // Already closed.
  }
}
