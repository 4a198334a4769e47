import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export interface OversizedPosts {
  url: string;
  /** The size of the JSON body each request sends. */
  bytes: number;
  contentType?: string;
  count: number;
  /** How many are in flight at once. */
  concurrency: number;
}

/**
 * Posts a large JSON body `count` times with Node's own fetch (undici), a few at a time, and
 * tallies what came back: `{ 413: 100 }`, or network errors by their code (`EPIPE`). A server
 * that answers before reading the body and closes at once resets the connection while the
 * client is still sending, and the client may see the error instead of the answer.
 *
 * The client runs in a process of its own, as any real one does: sharing the event loop of a
 * server under test, it would always read the answer before the reset is noticed.
 */
export async function postOversized(options: OversizedPosts): Promise<Record<string, number>> {
  const client = fileURLToPath(new URL('./oversized-posts.client.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [client, JSON.stringify(options)]);
  return JSON.parse(stdout) as Record<string, number>;
}
