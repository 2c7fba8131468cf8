/**
 * OpenTelemetry tracing for one process: a tracer provider, the W3C
 * trace-context propagator (so context rides in NATS headers, see
 * libs/bus trace-carrier) and an AsyncLocalStorage context manager (so the
 * active span follows async/await). Spans are always created, so trace ids
 * propagate between services even when this process exports nothing; the
 * sampler decides which are recorded (every one by default).
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  TracerProvider,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TraceSampler } from '@postroom/config';
import { createSampler } from './sampler';

export type { SpanExporter };

export interface TracingOptions {
  service: string;
  /** OTLP/HTTP base URL, e.g. http://jaeger:4318 (`/v1/traces` is appended). */
  otlpEndpoint?: string;
  /** An exporter to use instead of OTLP, e.g. InMemorySpanExporter in tests (exported synchronously). */
  exporter?: SpanExporter;
  /** OTEL_TRACES_SAMPLER and its ratio; parentbased_always_on (every email) when unset. */
  sampler?: { name: TraceSampler; ratio?: number };
}

export interface Tracing {
  /** Flushes pending spans and unregisters the global provider, propagator and context manager. */
  shutdown(): Promise<void>;
}

function processorFor(opts: TracingOptions): SpanProcessor[] {
  if (opts.exporter) return [new SimpleSpanProcessor({ exporter: opts.exporter })];
  if (opts.otlpEndpoint) {
    const url = `${opts.otlpEndpoint.replace(/\/+$/, '')}/v1/traces`;
    return [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) })];
  }
  return [];
}

let current: Tracing | undefined;

/** Flushes and shuts down the tracing started last (for SIGTERM handlers; no-op when none). */
export async function shutdownTracing(): Promise<void> {
  await current?.shutdown();
}

/** Registers tracing globally for this process; call once, as early as possible. */
export function startTracing(opts: TracingOptions): Tracing {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.service }),
    spanProcessors: processorFor(opts),
    sampler: createSampler(opts.sampler?.name ?? 'parentbased_always_on', opts.sampler?.ratio),
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  // The globals refuse a second registration; disable first so tests (and
  // a restart within one process) can register again.
  trace.disable();
  context.disable();
  propagation.disable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  let stopped: Promise<void> | undefined;
  const tracing: Tracing = {
    shutdown() {
      stopped ??= (async () => {
        await provider.forceFlush();
        await provider.shutdown();
        if (current !== tracing) return;
        current = undefined;
        trace.disable();
        propagation.disable();
        context.disable();
      })();
      return stopped;
    },
  };
  current = tracing;
  return tracing;
}
