/**
 * Loaded first with `node --import @postroom/telemetry/instrumentation`, so
 * the tracer provider exists before any module creates a tracer. Reads the
 * standard OTel variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT)
 * directly: the OTel env conventions are this module's contract, which is why
 * it is the one exception to "only libs/config reads process.env".
 * Services flush on SIGTERM with `shutdownTracing()`; a process that simply
 * runs out of work is flushed here.
 */
import { shutdownTracing, startTracing } from './tracing';

startTracing({
  service: process.env.OTEL_SERVICE_NAME || 'postroom',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
});

process.once('beforeExit', () => {
  void shutdownTracing();
});
