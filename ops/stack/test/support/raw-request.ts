import { request } from 'node:http';
import { WebSocket } from 'ws';

export interface RawResponse {
  status: number;
  /** Every header line as sent, names lower-cased, duplicates kept. */
  headers: [string, string][];
  body: string;
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /**
   * Send from this address: the whole 127.0.0.0/8 is local on Linux, so a test can be "another
   * client" to nginx (its $remote_addr, its per-IP limits). The URL must then name 127.0.0.1,
   * not localhost (which may resolve to ::1).
   */
  localAddress?: string;
}

/** An HTTP request that shows headers exactly as sent (fetch would merge duplicates). */
export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.localAddress,
      },
      (res) => {
        const headers: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          headers.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        }
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export const headerValues = (res: RawResponse, name: string) =>
  res.headers.filter(([n]) => n === name).map(([, v]) => v);

export const corsHeaderNames = (res: RawResponse) =>
  res.headers.map(([n]) => n).filter((n) => n.startsWith('access-control-'));

/** The status of a WebSocket handshake: 101 when it opened, else the HTTP status of the refusal. */
export function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', reject);
  });
}
