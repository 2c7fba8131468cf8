/** Logs, traces, metrics and health endpoints, set up the same way in every service. */
export { createLogger, REDACT_PATHS } from './logger';
export type { Logger, LoggerOptions } from './logger';
export { startTracing, shutdownTracing } from './tracing';
export type { Tracing, TracingOptions, SpanExporter } from './tracing';
export { createMetrics } from './metrics';
export type { ServiceMetrics, StageOutcome } from './metrics';
export { startHealthServer } from './health';
export { listen } from './listen';
export type { ListeningServer } from './listen';
export type { HealthServer, HealthServerOptions } from './health';
export type { Registry } from 'prom-client';
