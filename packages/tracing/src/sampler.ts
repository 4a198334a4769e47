import { type SpanKind } from '@opentelemetry/api';
import type * as SdkTrace from '@opentelemetry/sdk-trace';

/**
 * Which traces are recorded: a span with a parent follows its parent's decision (a caller's
 * `traceparent` included), so a trace is whole or absent. A root span is drawn against `ratio`,
 * unless its kind is one the app draws for itself before it makes the span (`drawnKinds`): the
 * API decides for each request in its request hook, so that an untraced request costs it no span
 * at all, and the spans it does make are the ones that won the draw.
 */
export function sampler(
  sdk: Pick<
    typeof SdkTrace,
    'ParentBasedSampler' | 'SamplingDecision' | 'TraceIdRatioBasedSampler'
  >,
  ratio: number,
  drawnKinds: readonly SpanKind[] = [],
): SdkTrace.Sampler {
  const byRatio = new sdk.TraceIdRatioBasedSampler(ratio);
  const drawn = new Set(drawnKinds);
  const root: SdkTrace.Sampler = {
    shouldSample: (context, traceId, _name, kind) =>
      drawn.has(kind)
        ? { decision: sdk.SamplingDecision.RECORD_AND_SAMPLED }
        : byRatio.shouldSample(context, traceId),
    toString: () => `DrawnBeforehand{${[...drawn].join(',')}} or ${byRatio.toString()}`,
  };
  return new sdk.ParentBasedSampler({ root });
}
