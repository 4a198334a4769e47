import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between the API and PostgreSQL that can cut the network the way a partition does,
 * which this machine cannot do to loopback without privileges the suites do not assume: no
 * reset, no close, the bytes just stop. `partition()` black-holes every open connection for
 * good (from the API's side they become half-open: nothing will ever answer) and leaves new
 * ones hanging before PostgreSQL's greeting; `heal()` lets new connections through again. A
 * stand-in for the network only: PostgreSQL and the API on either side are real.
 */
export interface Relay {
  port: number;
  partition(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startRelay(targetPort: number): Promise<Relay> {
  let cut = false;
  const sockets = new Set<Socket>();
  const blackHole = (socket: Socket) => {
    socket.unpipe();
    socket.pause();
  };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (cut) return blackHole(client);
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      if (!cut) client.destroy();
    });
    upstream.on('error', () => undefined);
    client.on('close', () => {
      if (!cut) upstream.destroy();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    partition() {
      cut = true;
      for (const socket of sockets) blackHole(socket);
    },
    heal() {
      cut = false;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
