/** The parser process: fetched raw mail → structured MailParsed events (style guide §2). */
import { connectBus, ensureTopology, runStage } from '@postroom/bus';
import { openBlobStore } from '@postroom/blob';
import { exitOnConfigError } from '@postroom/config';
import { MailFetchedSchema, type MailFetched } from '@postroom/contracts';
import { describeError } from '@postroom/errors';
import { createLogger, createMetrics, startHealthServer, startTracing } from '@postroom/telemetry';
import { limitsOf, loadParserConfig } from './config';
import { createHandler } from './handler';

const config = exitOnConfigError(() => loadParserConfig(process.env));
const logger = createLogger({ service: 'parser', level: config.LOG_LEVEL });
const tracing = startTracing({ service: 'parser', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
process.on('unhandledRejection', (err) => (logger.fatal({ err: describeError(err) }, 'unhandled rejection'), process.exit(70)));
try {
  const bus = await connectBus({ url: config.NATS_URL, namespace: config.NATS_NAMESPACE, name: 'parser', logger });
  await ensureTopology(bus);
  const handle = createHandler({ blobs: await openBlobStore(config, bus), limits: limitsOf(config), subjects: bus.subjects });
  const metrics = createMetrics('parser');
  const tenantOf = (e: MailFetched) => e.mail?.tenantId ?? '';
  const stage = runStage(bus, { stage: 'parser', input: MailFetchedSchema, handle, tenantOf, logger, metrics, concurrency: config.STAGE_CONCURRENCY });
  const ready = async () => ({ nats: !bus.nc.isClosed(), consumer: stage.bound() });
  const health = await startHealthServer({ host: config.HEALTH_HOST, port: config.HEALTH_PORT, registry: metrics.registry, ready });
  process.once('SIGTERM', async () => {
    await stage.stop();
    await Promise.allSettled([health.close(), bus.close(), tracing.shutdown()]);
    process.exit(0);
  });
  logger.info({ healthPort: health.port }, 'parser started');
} catch (err) {
  logger.fatal({ err: describeError(err) }, 'parser could not start');
  process.stderr.write(`postroom parser: ${describeError(err)}\n`);
  process.exit(1);
}
