/**
 * A full garbage collection in another Node process, through its inspector (the process runs
 * with --inspect=127.0.0.1:<port>): `HeapProfiler.collectGarbage`, as DevTools' "collect garbage"
 * button does. Used to read RSS without the transient garbage of what just happened.
 */
import { WebSocket } from 'ws';

/** After the collection: the V8 heap in use and its size, in bytes. */
export interface HeapUsage {
  usedSize: number;
  totalSize: number;
}

export async function collectGarbage(inspectPort: number): Promise<HeapUsage> {
  const res = await fetch(`http://127.0.0.1:${inspectPort}/json/list`);
  const [target] = (await res.json()) as { webSocketDebuggerUrl: string }[];
  if (!target) throw new Error(`No inspector target on port ${inspectPort}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 0;
  const call = (method: string) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++nextId;
      const onMessage = (raw: Buffer) => {
        const message = JSON.parse(raw.toString('utf8')) as {
          id?: number;
          result?: unknown;
          error?: unknown;
        };
        if (message.id !== id) return;
        socket.off('message', onMessage);
        if (message.error) reject(new Error(JSON.stringify(message.error)));
        else resolve(message.result);
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method }));
    });
  try {
    // Twice: objects with finalizers or weak references need a second pass.
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    return (await call('Runtime.getHeapUsage')) as HeapUsage;
  } finally {
    socket.close();
  }
}
