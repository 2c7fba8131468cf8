/**
 * Loaded first with `node --import @postroom/telemetry/instrumentation`, so
 * the tracer provider exists before any module creates a tracer. Reads the
 * standard OTel variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT)
 * directly: the OTel env conventions are this module's contract, which is why
 * it is the one exception to "only libs/config reads process.env".
 */
import { startTracing } from './tracing';

const tracing = startTracing({
  service: process.env.OTEL_SERVICE_NAME || 'postroom',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
});

// Flush spans on orderly shutdown; services own SIGTERM handling and exit.
process.once('beforeExit', () => {
  void tracing.shutdown();
});
