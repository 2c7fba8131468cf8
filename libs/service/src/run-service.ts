/**
 * The life of every Postroom process, written once: configuration (one clear
 * line and exit 78 when it is wrong), logging, tracing, NATS with the
 * topology ensured, PostgreSQL and the blob store when the service needs
 * them, the health server (/healthz, /readyz, /metrics), and a graceful stop
 * on SIGTERM/SIGINT that drains in-flight work before closing connections.
 * A service's main.ts only says what it needs and what it starts.
 */
import { openBlobStore, type BlobStore } from '@postroom/blob';
import { connectBus, ensureTopology, type Bus } from '@postroom/bus';
import { exitOnConfigError, type BaseConfig, type BlobConfig } from '@postroom/config';
import { openDatabase } from '@postroom/db';
import { describeError } from '@postroom/errors';
import { createLogger, createMetrics, startHealthServer, startTracing, type Logger, type ServiceMetrics } from '@postroom/telemetry';
import type { DataSource } from 'typeorm';

export interface ServiceContext<C> {
  config: C;
  logger: Logger;
  bus: Bus;
  metrics: ServiceMetrics;
  /** Set when the service asked for `database`. */
  db: DataSource;
  /** Set when the service asked for `blobs`. */
  blobs: BlobStore;
}

export interface StartedService {
  /** Extra readiness checks, e.g. `{ consumer: () => stage.bound() }`. */
  ready?: Record<string, () => boolean | Promise<boolean>>;
  /** Stops taking work and waits for what is in flight. */
  stop(): Promise<void>;
}

export interface ServiceOptions<C extends BaseConfig> {
  name: string;
  loadConfig: () => C;
  database?: boolean;
  blobs?: boolean;
  start(ctx: ServiceContext<C>): Promise<StartedService>;
}

async function allTrue(checks: Record<string, () => boolean | Promise<boolean>>): Promise<Record<string, boolean>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await Promise.resolve().then(check).catch(() => false)] as const),
  );
  return Object.fromEntries(entries);
}

async function open<C extends BaseConfig>(opts: ServiceOptions<C>, config: C, logger: Logger): Promise<ServiceContext<C>> {
  const bus = await connectBus({ url: config.NATS_URL, namespace: config.NATS_NAMESPACE, name: opts.name, logger });
  await ensureTopology(bus, { logger });
  const db = opts.database ? await openDatabase(config.DATABASE_URL, { applicationName: `postroom-${opts.name}` }) : undefined;
  const blobs = opts.blobs ? await openBlobStore(config as unknown as BlobConfig, bus) : undefined;
  return { config, logger, bus, metrics: createMetrics(opts.name), db: db as DataSource, blobs: blobs as BlobStore };
}

/** Runs a service until SIGTERM/SIGINT; exits 1 with one line on stderr when it cannot start. */
export async function runService<C extends BaseConfig>(opts: ServiceOptions<C>): Promise<void> {
  const config = exitOnConfigError(opts.loadConfig);
  const logger = createLogger({ service: opts.name, level: config.LOG_LEVEL });
  const tracing = startTracing({
    service: opts.name,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    sampler: { name: config.OTEL_TRACES_SAMPLER, ratio: config.OTEL_TRACES_SAMPLER_ARG },
  });
  // A rejection nobody handled leaves the process in an unknown state: log it and exit (style guide §7).
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err: describeError(err) }, 'unhandled rejection');
    process.exit(70);
  });
  try {
    const ctx = await open(opts, config, logger);
    const started = await opts.start(ctx);
    const checks = {
      nats: () => !ctx.bus.nc.isClosed(),
      ...(ctx.db ? { database: () => ctx.db.query('SELECT 1').then(() => true) } : {}),
      ...started.ready,
    };
    const health = await startHealthServer({ host: config.HEALTH_HOST, port: config.HEALTH_PORT, registry: ctx.metrics.registry, ready: () => allTrue(checks) });
    const stop = async (signal: string) => {
      logger.info({ signal }, `${opts.name} draining`);
      await started.stop();
      await Promise.allSettled([health.close(), ctx.bus.close(), ctx.db?.destroy(), tracing.shutdown()]);
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
    logger.info({ healthPort: health.port }, `${opts.name} started`);
  } catch (err) {
    logger.fatal({ err: describeError(err) }, `${opts.name} could not start`);
    process.stderr.write(`postroom ${opts.name}: ${describeError(err)}\n`);
    await tracing.shutdown().catch(() => undefined);
    process.exit(1);
  }
}
