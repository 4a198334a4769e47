import { createServer } from 'node:net';

/*
 * Ports are picked below the ephemeral range (Linux: 32768-60999), where the kernel takes the
 * local ports of outgoing connections: a port the kernel chose for us could be taken by any of
 * those between the check and its use (a busy test run makes thousands), one from here cannot.
 * Each process walks the range from a random point, so two processes rarely meet.
 */
const FIRST = 20_000;
const LAST = 32_767;
let next = FIRST + Math.floor(Math.random() * (LAST - FIRST + 1));

/** Whether a listener could bind the port on every address right now. */
const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });

/** A TCP port nothing listens on right now, and that no outgoing connection will take. */
export async function freePort(): Promise<number> {
  for (let tried = 0; tried <= LAST - FIRST; tried++) {
    const port = next;
    next = next === LAST ? FIRST : next + 1;
    if (await isFree(port)) return port;
  }
  throw new Error(`No free TCP port between ${FIRST} and ${LAST}`);
}
