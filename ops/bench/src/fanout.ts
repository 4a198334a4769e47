/**
 * WebSocket fan-out: N authenticated clients subscribed to one `room:` topic, one more client
 * publishing to it. Two phases:
 *  - steady: `rate` events a second for `seconds` s (a send timestamp in each payload):
 *    delivered/s, latency p50/p99, losses;
 *  - max: the publisher keeps `window` events in flight (published, not yet received by every
 *    client) for `maxSeconds` s: the most the server (and these clients, on the same cores) can
 *    deliver.
 * Before them, the server's RSS per idle socket: RSS (VmRSS) before the N clients connect,
 * authenticate and subscribe, and 2 s after the last one is ready, each time after a full garbage
 * collection (through the server's inspector): what the sockets keep, not the transient garbage
 * of connecting them. The figure without that collection, which also holds the growth of V8's
 * heap that connecting 1,000 sockets at once causes, is reported too (`rssRawPerSocketBytes`),
 * and so is the cost of N more sockets on top of those (`rssMarginalPerSocketBytes`): the first N
 * also grow the process's native memory once (malloc arenas), which the next N do not.
 * The same code drives the API's gateway and the bare `ws` server (servers/bare-ws.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { collectGarbage } from '@repo/test-support';
import { WebSocket } from 'ws';
import { rssBytes } from './children.js';
import { type CpuGroups, measureCpu } from './cpu.js';
import { percentile, round } from './stats.js';

const TOPIC = 'room:bench';
/** Sockets opened at once while connecting (as clients arrive, not all in one instant). */
const CONNECT_CONCURRENCY = 50;

export interface FanoutOptions {
  wsUrl: string;
  /** Access token for the `auth` frame (the bare server ignores it). */
  token: string;
  /** The server's process, for its RSS, and its inspector port (--inspect), for a full GC. */
  pid: number;
  inspectPort: number;
  clients: number;
  rate: number;
  seconds: number;
  maxSeconds: number;
  window: number;
  /** Processes whose CPU time each phase reports. */
  cpu: CpuGroups;
}

interface PhaseFigures {
  seconds: number;
  published: number;
  expected: number;
  delivered: number;
  deliveredPerSec: number;
  /** Publish → receipt, ms. */
  p50: number;
  p99: number;
  max: number;
  /** Cores busy during the phase, by process group (see cpu.ts). */
  cores: Record<string, number>;
}

export interface FanoutFigures {
  clients: number;
  connectS: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  /** After a full GC, before and after. */
  rssPerSocketBytes: number;
  /** Without the GC after connecting. */
  rssRawPerSocketBytes: number;
  /** V8 heap in use (after GC) per socket: the JavaScript objects a socket keeps. */
  heapPerSocketBytes: number;
  /**
   * RSS (after GC) per socket of N more sockets, on top of the first N: without the one-time
   * growth of the process's native memory that the first N cause.
   */
  rssMarginalPerSocketBytes: number;
  steady: PhaseFigures;
  max: PhaseFigures;
  /** Sockets closed before the end, by close code. */
  closedEarly: Record<string, number>;
}

interface Payload {
  seq: number;
  t: number;
}

interface ServerFrame {
  type: string;
  id?: string;
  topic?: string;
  code?: string;
  message?: string;
  data?: { data?: Payload };
}

/** Opens a socket, authenticates it, subscribes it if asked; resolves when acknowledged. */
function client(
  options: FanoutOptions,
  subscribe: boolean,
  onEvent: (payload: Payload) => void,
  onEarlyClose: (code: number) => void,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(options.wsUrl, { perMessageDeflate: false });
    let ready = false;
    const fail = (why: string) => {
      if (!ready) reject(new Error(why));
      ready = true;
    };
    socket.on('error', (error) => fail(error.message));
    socket.on('close', (code, reason) => {
      if (!ready) fail(`closed ${code} ${reason.toString()}`);
      else onEarlyClose(code);
    });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token: options.token })));
    socket.on('message', (raw) => {
      const frame = JSON.parse((raw as Buffer).toString('utf8')) as ServerFrame;
      if (frame.type === 'event' && frame.topic === TOPIC && frame.data?.data) {
        onEvent(frame.data.data);
      } else if (frame.type === 'ready' && !ready) {
        if (!subscribe) {
          ready = true;
          resolve(socket);
        } else socket.send(JSON.stringify({ type: 'subscribe', topics: [TOPIC], id: 'sub' }));
      } else if (frame.type === 'ack' && frame.id === 'sub' && !ready) {
        ready = true;
        resolve(socket);
      } else if (frame.type === 'error') {
        fail(`error ${frame.code}: ${frame.message}`);
      }
    });
  });
}

function closeAll(sockets: WebSocket[]): Promise<unknown> {
  return Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close();
        }),
    ),
  );
}

export async function fanout(options: FanoutOptions): Promise<FanoutFigures> {
  const closedEarly: Record<string, number> = {};
  let stopping = false;
  const onEarlyClose = (code: number) => {
    if (!stopping) closedEarly[code] = (closedEarly[code] ?? 0) + 1;
  };

  // What the current phase counts.
  let counts = new Map<number, number>();
  let latencies: number[] = [];
  let lastReceipt = 0;
  let onComplete: (seq: number) => void = () => undefined;
  let receivers = 0;
  const onEvent = (payload: Payload) => {
    const now = performance.now();
    latencies.push(now - payload.t);
    lastReceipt = now;
    const count = (counts.get(payload.seq) ?? 0) + 1;
    counts.set(payload.seq, count);
    if (count === receivers) onComplete(payload.seq);
  };

  // Warm the server's code paths with a few sockets, then let them go.
  const warm = await Promise.all(
    Array.from({ length: 10 }, () =>
      client(
        options,
        true,
        () => undefined,
        () => undefined,
      ),
    ),
  );
  await closeAll(warm);
  await sleep(1_000);
  const rss = async () => {
    const heap = await collectGarbage(options.inspectPort);
    await sleep(500);
    return { rss: await rssBytes(options.pid), heap: heap.usedSize };
  };
  const before = await rss();
  const rssBeforeBytes = before.rss;

  const connectAll = async () => {
    const sockets: WebSocket[] = [];
    for (let i = 0; i < options.clients; i += CONNECT_CONCURRENCY) {
      const batch = Math.min(CONNECT_CONCURRENCY, options.clients - i);
      sockets.push(
        ...(await Promise.all(
          Array.from({ length: batch }, () => client(options, true, onEvent, onEarlyClose)),
        )),
      );
    }
    return sockets;
  };
  const started = performance.now();
  const sockets = await connectAll();
  const connectS = (performance.now() - started) / 1000;
  receivers = sockets.length;
  await sleep(2_000);
  const rssRawBytes = await rssBytes(options.pid);
  const after = await rss();
  const rssAfterBytes = after.rss;
  // N more, and they go again: what a socket costs once the process has grown.
  const more = await connectAll();
  await sleep(2_000);
  const afterMore = await rss();
  stopping = true;
  await closeAll(more);
  stopping = false;

  const publisher = await client(options, false, () => undefined, onEarlyClose);
  let seq = 0;
  const publish = () => {
    publisher.send(
      JSON.stringify({
        type: 'publish',
        topic: TOPIC,
        data: { seq: ++seq, t: performance.now() } satisfies Payload,
      }),
    );
  };
  const phase = async (run: () => Promise<number>): Promise<PhaseFigures> => {
    counts = new Map();
    latencies = [];
    const firstSeq = seq + 1;
    const phaseStart = performance.now();
    const { result: seconds, cores } = await measureCpu(options.cpu, async () => {
      const seconds = await run();
      // Whatever is still on its way.
      const expected = (seq - firstSeq + 1) * receivers;
      for (const deadline = Date.now() + 5_000; latencies.length < expected;) {
        if (Date.now() > deadline) break;
        await sleep(20);
      }
      return seconds;
    });
    const published = seq - firstSeq + 1;
    const expected = published * receivers;
    const window = Math.max(seconds, (lastReceipt - phaseStart) / 1000);
    return {
      seconds: round(window, 2),
      published,
      expected,
      delivered: latencies.length,
      deliveredPerSec: round(latencies.length / window),
      p50: round(percentile(latencies, 50), 1),
      p99: round(percentile(latencies, 99), 1),
      max: round(percentile(latencies, 100), 1),
      cores,
    };
  };

  // Steady: one event every 1/rate s, on a schedule that does not drift.
  const steady = await phase(async () => {
    const total = Math.round(options.rate * options.seconds);
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      publish();
    }
    return (performance.now() - start) / 1000;
  });

  await sleep(500);
  // Max: `window` events in flight; each one received by every client lets the next one go.
  const max = await phase(async () => {
    const start = performance.now();
    const deadline = start + options.maxSeconds * 1000;
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    onComplete = () => {
      if (performance.now() < deadline) publish();
      else done();
    };
    for (let i = 0; i < options.window; i++) publish();
    // A lost event would hold its slot: the phase ends at its deadline regardless.
    await Promise.race([
      finished,
      sleep(options.maxSeconds * 1000 + 5_000, undefined, { ref: false }),
    ]);
    onComplete = () => undefined;
    return (performance.now() - start) / 1000;
  });

  stopping = true;
  await closeAll([...sockets, publisher]);
  return {
    clients: receivers,
    connectS: round(connectS, 2),
    rssBeforeBytes,
    rssAfterBytes,
    rssPerSocketBytes: round((rssAfterBytes - rssBeforeBytes) / receivers),
    rssRawPerSocketBytes: round((rssRawBytes - rssBeforeBytes) / receivers),
    heapPerSocketBytes: round((after.heap - before.heap) / receivers),
    rssMarginalPerSocketBytes: round((afterMore.rss - after.rss) / receivers),
    steady,
    max,
    closedEarly,
  };
}
