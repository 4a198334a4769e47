/**
 * What tracing and metrics cost on the hot path: an OTLP/HTTP endpoint that takes the API's spans
 * and throws them away, as a collector would take them off its hands. Parsing them here would
 * charge the API's cost to this process, which also drives the load.
 */
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface OtlpSink {
  endpoint: string;
  /** Export requests received: proof the spans were sent. */
  readonly exports: number;
  close(): Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  let exports = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get exports() {
      return exports;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
