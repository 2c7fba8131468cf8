/**
 * The sampler OTEL_TRACES_SAMPLER names, built from sdk-trace's own
 * samplers: the SDK reads these variables only through sdk-node's
 * auto-configuration, which Postroom does not use (tracing.ts builds its
 * provider), so without this they would be ignored without a word.
 * Unsampled spans are neither recorded nor exported, which is what a trace
 * backend at high volume needs; the trace context still travels, flagged
 * not sampled. It saves little CPU (docs/benchmarks.md, "One stage alone").
 */
import type { TraceSampler } from '@postroom/config';
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';

function rootSampler(name: string, ratio: number): Sampler {
  if (name.endsWith('always_off')) return new AlwaysOffSampler();
  if (name.endsWith('traceidratio')) return new TraceIdRatioBasedSampler(ratio);
  return new AlwaysOnSampler();
}

/** `ratio` applies to the *traceidratio samplers (OTEL_TRACES_SAMPLER_ARG). */
export function createSampler(name: TraceSampler, ratio = 1): Sampler {
  const root = rootSampler(name, ratio);
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}
