import { randomBytes } from 'node:crypto';
import { type OtlpReceiver, startOtlpReceiver } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.js';

/**
 * The web server traced as the API is: with OTEL_EXPORTER_OTLP_ENDPOINT set, a page request that
 * brings a `traceparent` is traced under it (Next's own spans, exported by src/instrumentation.ts),
 * with the web's service name.
 */

const POLL = { timeout: 30_000, interval: 200 };
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('tracing: the web server', () => {
  let receiver: OtlpReceiver;
  let stack: Stack;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint };
    stack = await startStack(tracing, 'production', tracing);
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  it("traces a page request under the caller's traceparent, as service `web`", async () => {
    const traceId = hex(16);
    const callerSpanId = hex(8);
    const res = await fetch(`${stack.webUrl}/login`, {
      headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
    });
    expect(res.status).toBe(200);
    const ofTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
    await expect.poll(() => ofTrace().length, POLL).toBeGreaterThan(0);
    const spans = ofTrace();
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['web']));
    const root = spans.find((s) => s.parentSpanId === callerSpanId);
    expect(root, 'a span under the caller’s').toBeDefined();
    expect(root!.kind).toBe(2);
  });
});
