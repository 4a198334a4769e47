import { request } from 'node:http';

export interface RawResponse {
  status: number;
  /** Every header line as sent, names lower-cased, duplicates kept. */
  headers: [string, string][];
  body: string;
}

/** An HTTP request that shows headers exactly as sent (fetch would merge duplicates). */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
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
