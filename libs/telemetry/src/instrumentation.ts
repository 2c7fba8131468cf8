/**
 * Loaded first with `node --import @postroom/telemetry/instrumentation`, so
 * the tracer provider exists before any module creates a tracer. Reads the
 * standard OTel variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT;
 * OTEL_TRACES_SAMPLER and its _ARG, checked as the services check them)
 * directly: the OTel env conventions are this module's contract, which is
 * why it is the one exception to "only libs/config reads process.env".
 * Services flush on SIGTERM with `shutdownTracing()`; a process that simply
 * runs out of work is flushed here.
 */
import { baseSchema, exitOnConfigError, loadConfig } from '@postroom/config';
import { shutdownTracing, startTracing } from './tracing';

const sampling = exitOnConfigError(() =>
  loadConfig(baseSchema.pick({ OTEL_TRACES_SAMPLER: true, OTEL_TRACES_SAMPLER_ARG: true }), process.env),
);

startTracing({
  service: process.env.OTEL_SERVICE_NAME || 'postroom',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
  sampler: { name: sampling.OTEL_TRACES_SAMPLER, ratio: sampling.OTEL_TRACES_SAMPLER_ARG },
});

process.once('beforeExit', () => {
  void shutdownTracing();
});
