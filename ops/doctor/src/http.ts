import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type Evidence } from './model.js';

export interface ProbeRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface ProbeResponse {
  status: number;
  /** As sent: names lower-cased, duplicates kept (fetch would merge them). */
  headers: [string, string][];
  body: string;
  /** Milliseconds from the start to each step of a fresh connection. */
  timings: { dnsMs?: number; tcpMs?: number; tlsMs?: number; totalMs: number };
}

/** A request that failed before any response: the step and the system's code. */
export class ProbeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly step: 'dns' | 'tcp' | 'tls' | 'timeout' | 'http',
  ) {
    super(message);
  }
}

/** One request on a fresh connection, with what a browser hides: duplicates, timings, failures. */
export function probe(url: string, options: ProbeRequest): Promise<ProbeResponse> {
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  const timings: ProbeResponse['timings'] = { totalMs: 0 };
  const request = new URL(url).protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res: IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body = body.length < 65_536 ? body + chunk : body));
        res.on('end', () => {
          clearTimeout(timer);
          timings.totalMs = since();
          resolve({ status: res.statusCode ?? 0, headers: pairs(res.rawHeaders), body, timings });
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy(
        new ProbeError('ETIMEDOUT', `no answer within ${options.timeoutMs} ms`, 'timeout'),
      );
    }, options.timeoutMs);
    req.on('socket', (socket) => {
      socket.on('lookup', () => (timings.dnsMs = since()));
      socket.on('connect', () => (timings.tcpMs = since()));
      socket.on('secureConnect', () => (timings.tlsMs = since()));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error instanceof ProbeError) return reject(error);
      const code = error.code ?? 'EUNKNOWN';
      const step =
        code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'dns'
          : /TLS|CERT|SSL|SELF_SIGNED|VERIFY/.test(code)
            ? 'tls'
            : code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
              ? 'tcp'
              : 'http';
      reject(new ProbeError(code, error.message, step));
    });
    req.end(options.body);
  });
}

function pairs(raw: string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) result.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return result;
}

export const headerValues = (res: ProbeResponse, name: string) =>
  res.headers.filter(([n]) => n === name).map(([, v]) => v);

/** The evidence of a probe: the request line and the response headers that matter. */
export function evidenceOf(
  method: string,
  url: string,
  sent: Record<string, string>,
  res: ProbeResponse | undefined,
  pick: (name: string) => boolean = (name) => name.startsWith('access-control-') || name === 'vary',
): Evidence {
  const sentLine = Object.entries(sent)
    .map(([k, v]) => `${k}: ${v}`)
    .join('  ');
  return {
    request: `${method} ${url}${sentLine ? `  ${sentLine}` : ''}`,
    ...(res ? { status: res.status, headers: res.headers.filter(([n]) => pick(n)) } : {}),
  };
}
