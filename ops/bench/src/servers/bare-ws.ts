/**
 * The limit for the WebSocket rows: a bare `ws` broadcast server speaking just enough of the
 * realtime protocol (docs/realtime.md) for the same clients to drive it: `auth` is answered with
 * `ready` without any check, `subscribe` joins topics, `publish` sends one `event` (serialised
 * once) to every subscriber of the topic, then `ack`; `ping` gets `pong`. No validation, no
 * authentication, no rate limits, no database: what a WebSocket fan-out costs in Node at least.
 * Prints `{"listening":<port>}` once it accepts connections.
 */
import { randomUUID } from 'node:crypto';
import { type WebSocket, WebSocketServer } from 'ws';

interface Frame {
  type?: string;
  id?: string;
  topics?: string[];
  topic?: string;
  data?: unknown;
}

const topics = new Map<string, Set<WebSocket>>();
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });

server.on('connection', (socket) => {
  const joined = new Set<string>();
  socket.on('message', (raw) => {
    let frame: Frame;
    try {
      frame = JSON.parse((raw as Buffer).toString('utf8')) as Frame;
    } catch {
      return;
    }
    const ack = () => frame.id && socket.send(JSON.stringify({ type: 'ack', id: frame.id }));
    switch (frame.type) {
      case 'auth':
        socket.send(
          JSON.stringify({
            type: 'ready',
            connectionId: randomUUID(),
            userId: 'bare',
            heartbeatMs: 25_000,
          }),
        );
        return;
      case 'subscribe':
        for (const topic of frame.topics ?? []) {
          let members = topics.get(topic);
          if (!members) topics.set(topic, (members = new Set()));
          members.add(socket);
          joined.add(topic);
        }
        ack();
        return;
      case 'publish': {
        const event = JSON.stringify({
          type: 'event',
          topic: frame.topic,
          event: 'message',
          data: { from: 'bare', data: frame.data ?? null },
          ts: Date.now(),
        });
        for (const member of topics.get(frame.topic ?? '') ?? []) member.send(event);
        ack();
        return;
      }
      case 'ping':
        socket.send(JSON.stringify({ type: 'pong', ...(frame.id ? { id: frame.id } : {}) }));
        return;
    }
  });
  socket.on('close', () => {
    for (const topic of joined) topics.get(topic)?.delete(socket);
  });
});

server.on('listening', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ listening: port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
