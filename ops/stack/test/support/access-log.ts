import { randomUUID } from 'node:crypto';
import { type ApiReplica, type Stack } from '../../src/index.js';

/** One line of nginx's JSON access log (nginx/templates/10-http.conf.template). */
export interface AccessLogEntry {
  time: string;
  requestId: string;
  client: string;
  method: string;
  host: string;
  path: string;
  status: number;
  upstream: string;
  upstreamStatus: string;
  [field: string]: unknown;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** nginx's address for a replica, as `$upstream_addr` writes it. */
export const upstreamAddress = (replica: ApiReplica) => `127.0.0.1:${replica.port}`;

/**
 * The replicas nginx tried for a request, in order (`a, b` when it moved on to the next one);
 * the last one answered.
 */
export const upstreamsOf = (entry: AccessLogEntry) =>
  entry.upstream ? entry.upstream.split(/,\s*/) : [];

/** Every access log entry so far. */
const accessLog = async (stack: Stack) => (await stack.accessLog()) as unknown as AccessLogEntry[];

/**
 * The entries that match, once there are at least `count` of them: nginx writes a line after the
 * response, so it may land just after the client has it.
 */
export async function logEntries(
  stack: Stack,
  match: (entry: AccessLogEntry) => boolean,
  count = 1,
  timeoutMs = 5_000,
): Promise<AccessLogEntry[]> {
  for (const deadline = Date.now() + timeoutMs; ; await sleep(50)) {
    const found = (await accessLog(stack)).filter(match);
    if (found.length >= count) return found;
    if (Date.now() > deadline)
      throw new Error(`${found.length} of ${count} access log entries within ${timeoutMs} ms`);
  }
}

/** The access log entry of the request with this id. */
export const logEntry = async (stack: Stack, requestId: string) =>
  (await logEntries(stack, (e) => e.requestId === requestId))[0]!;

/**
 * Resolves once nginx has routed a request to `replica` again (GET /health through nginx until
 * the access log shows that replica answered it): after a restart, nginx may keep a replica out
 * of the rotation for fail_timeout.
 */
export async function routedTo(stack: Stack, replica: ApiReplica, timeoutMs = 20_000) {
  const address = upstreamAddress(replica);
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    const requestId = `routed-${randomUUID()}`;
    const res = await fetch(`${stack.apiUrl}/health`, { headers: { 'x-request-id': requestId } });
    await res.arrayBuffer();
    if (res.status !== 200) continue;
    const entry = await logEntry(stack, requestId);
    if (upstreamsOf(entry).at(-1) === address) return;
  }
  throw new Error(`nginx did not route a request to ${replica.name} within ${timeoutMs} ms`);
}
