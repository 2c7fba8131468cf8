/** The attachment process: attachment rows for new messages, and signed download links. */
import { connectBus, ensureTopology, runStage } from '@postroom/bus';
import { openBlobStore } from '@postroom/blob';
import { exitOnConfigError } from '@postroom/config';
import { TicketMessageAddedSchema } from '@postroom/contracts';
import { openDatabase } from '@postroom/db';
import { describeError } from '@postroom/errors';
import { createLogger, createMetrics, startHealthServer, startTracing } from '@postroom/telemetry';
import { loadAttachmentConfig, urlKeyOf } from './config';
import { startDownloadServer } from './download-server';
import { createHandler } from './handler';

const config = exitOnConfigError(() => loadAttachmentConfig(process.env));
const logger = createLogger({ service: 'attachment', level: config.LOG_LEVEL });
const tracing = startTracing({ service: 'attachment', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
process.on('unhandledRejection', (err) => (logger.fatal({ err: describeError(err) }, 'unhandled rejection'), process.exit(70)));
try {
  const bus = await connectBus({ url: config.NATS_URL, namespace: config.NATS_NAMESPACE, name: 'attachment', logger });
  await ensureTopology(bus);
  const ds = await openDatabase(config.DATABASE_URL, { applicationName: 'postroom-attachment' });
  const deps = { db: ds, blobs: await openBlobStore(config, bus), subjects: bus.subjects };
  const metrics = createMetrics('attachment');
  const stage = runStage(bus, {
    stage: 'attachment', input: TicketMessageAddedSchema, handle: createHandler(deps), logger, metrics, concurrency: config.STAGE_CONCURRENCY,
    tenantOf: (e) => e.ticket?.tenantId ?? '', mailIdOf: (e) => e.mailId || undefined,
  });
  const downloads = await startDownloadServer(deps, { host: config.ATTACHMENT_HTTP_HOST, port: config.ATTACHMENT_HTTP_PORT, key: urlKeyOf(config) });
  const ready = async () => ({ nats: !bus.nc.isClosed(), database: await ds.query('SELECT 1').then(() => true, () => false), consumer: stage.bound() });
  const health = await startHealthServer({ host: config.HEALTH_HOST, port: config.HEALTH_PORT, registry: metrics.registry, ready });
  process.once('SIGTERM', async () => {
    await stage.stop();
    await Promise.allSettled([downloads.close(), health.close(), bus.close(), ds.destroy(), tracing.shutdown()]);
    process.exit(0);
  });
  logger.info({ healthPort: health.port, downloadPort: downloads.port }, 'attachment started');
} catch (err) {
  logger.fatal({ err: describeError(err) }, 'attachment could not start');
  process.stderr.write(`postroom attachment: ${describeError(err)}\n`);
  process.exit(1);
}
