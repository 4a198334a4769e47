import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import * as sdk from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { sampler } from './sampler.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const remoteParent = (flags: TraceFlags) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: 'b7ad6b7169203331',
    traceFlags: flags,
    isRemote: true,
  });
const decide = (s: sdk.Sampler, kind: SpanKind, context = ROOT_CONTEXT) =>
  s.shouldSample(context, TRACE_ID, 'span', kind, {}, []).decision;

describe('sampler', () => {
  it('records a root span of a kind the app drew itself, whatever the ratio', () => {
    expect(decide(sampler(sdk, 0, [SpanKind.SERVER]), SpanKind.SERVER)).toBe(
      sdk.SamplingDecision.RECORD_AND_SAMPLED,
    );
  });

  it('draws other root spans against the ratio', () => {
    const s = (ratio: number) => sampler(sdk, ratio, [SpanKind.SERVER]);
    expect(decide(s(0), SpanKind.PRODUCER)).toBe(sdk.SamplingDecision.NOT_RECORD);
    expect(decide(s(1), SpanKind.PRODUCER)).toBe(sdk.SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler(sdk, 0), SpanKind.SERVER)).toBe(sdk.SamplingDecision.NOT_RECORD);
  });

  it("follows a caller's decision, drawn kinds included", () => {
    const s = sampler(sdk, 1, [SpanKind.SERVER]);
    expect(decide(s, SpanKind.SERVER, remoteParent(TraceFlags.NONE))).toBe(
      sdk.SamplingDecision.NOT_RECORD,
    );
    expect(decide(sampler(sdk, 0), SpanKind.SERVER, remoteParent(TraceFlags.SAMPLED))).toBe(
      sdk.SamplingDecision.RECORD_AND_SAMPLED,
    );
  });
});
