/**
 * Another Node process, through its inspector (the process runs with --inspect=127.0.0.1:<port>):
 * a full garbage collection, as DevTools' "collect garbage" button does, to read memory without
 * the transient garbage of what just happened; and the resources that keep its event loop alive.
 */
import { WebSocket } from 'ws';

/** After the collection: the V8 heap in use and its size, in bytes. */
export interface HeapUsage {
  usedSize: number;
  totalSize: number;
}

/** Calls inspector methods on the process's first target, over one WebSocket. */
async function withInspector<T>(
  inspectPort: number,
  use: (call: (method: string, params?: object) => Promise<unknown>) => Promise<T>,
): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${inspectPort}/json/list`);
  const [target] = (await res.json()) as { webSocketDebuggerUrl: string }[];
  if (!target) throw new Error(`No inspector target on port ${inspectPort}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 0;
  const call = (method: string, params: object = {}) =>
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
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    return await use(call);
  } finally {
    socket.close();
  }
}

/** A full collection (twice: objects with finalizers or weak references need a second pass). */
export function collectGarbage(inspectPort: number): Promise<HeapUsage> {
  return withInspector(inspectPort, async (call) => {
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    return (await call('Runtime.getHeapUsage')) as HeapUsage;
  });
}

/**
 * What keeps the process's event loop alive, by kind (`Timeout`, `TCPSocketWrap`, …): Node's
 * `process.getActiveResourcesInfo()`, counted.
 */
export function activeResources(inspectPort: number): Promise<Record<string, number>> {
  return withInspector(inspectPort, async (call) => {
    const { result } = (await call('Runtime.evaluate', {
      expression: 'process.getActiveResourcesInfo()',
      returnByValue: true,
    })) as { result: { value: string[] } };
    const counts: Record<string, number> = {};
    for (const kind of result.value) counts[kind] = (counts[kind] ?? 0) + 1;
    return counts;
  });
}
