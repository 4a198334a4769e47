import { randomBytes } from 'node:crypto';
import { type OtlpReceiver, startOtlpReceiver } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Config } from '../../src/core/config/config.js';
import { parseEnv } from '../../src/core/config/env.js';
import { startTracing, type Tracing } from '../../src/core/telemetry/tracing.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/*
 * The request hook draws each request without a caller's decision against
 * OTEL_TRACES_SAMPLER_ARG before making any span: at 0, such requests leave nothing, while a
 * caller's sampled traceparent is traced all the same. (This file's process registers the
 * tracing SDK globally, as main.ts does; the OTLP endpoint is the test-support stand-in.)
 */

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('tracing: which requests are traced', () => {
  let receiver: OtlpReceiver;
  let tracing: Tracing | undefined;
  let t: TestApp;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_TRACES_SAMPLER_ARG: '0' };
    // The exporter reads its endpoint from the environment, as in production.
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.endpoint;
    tracing = await startTracing(new Config(parseEnv({ NODE_ENV: 'test', ...env })));
    t = await startTestApp({ env });
  });
  afterAll(async () => {
    await t?.close();
    await tracing?.shutdown();
    await receiver?.close();
  });

  it('at a ratio of 0, traces only the request whose caller asked for it', async () => {
    for (let i = 0; i < 20; i++) expect((await fetch(`${t.api}/health`)).status).toBe(200);
    const traceId = hex(16);
    const traced = await fetch(`${t.api}/health`, {
      headers: { traceparent: `00-${traceId}-${hex(8)}-01` },
    });
    expect(traced.status).toBe(200);
    await tracing!.shutdown(); // sends what is buffered
    tracing = undefined;
    const servers = receiver.spans.filter((s) => s.kind === 2);
    expect(servers.map((s) => [s.traceId, s.name])).toEqual([[traceId, 'GET /api/v1/health']]);
  });
});
