/** The sender process: outbound requests → SMTP → sent/failed events. */
import { connectBus, ensureTopology, runStage } from '@postroom/bus';
import { openBlobStore } from '@postroom/blob';
import { exitOnConfigError } from '@postroom/config';
import { OutboundRequestedSchema } from '@postroom/contracts';
import { createSecretBox } from '@postroom/crypto';
import { openDatabase } from '@postroom/db';
import { describeError } from '@postroom/errors';
import { createLogger, createMetrics, startHealthServer, startTracing } from '@postroom/telemetry';
import { loadSenderConfig } from './config';
import { createHandler } from './handler';
import { createSmtpTransport } from './smtp-transport';

const config = exitOnConfigError(() => loadSenderConfig(process.env));
const logger = createLogger({ service: 'sender', level: config.LOG_LEVEL });
const tracing = startTracing({ service: 'sender', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
process.on('unhandledRejection', (err) => (logger.fatal({ err: describeError(err) }, 'unhandled rejection'), process.exit(70)));
try {
  const bus = await connectBus({ url: config.NATS_URL, namespace: config.NATS_NAMESPACE, name: 'sender', logger });
  await ensureTopology(bus);
  const ds = await openDatabase(config.DATABASE_URL, { applicationName: 'postroom-sender' });
  const secrets = createSecretBox({ key: config.ENCRYPTION_KEY, previousKeys: config.ENCRYPTION_PREVIOUS_KEYS });
  const transport = createSmtpTransport({ timeoutMs: config.SENDER_SMTP_TIMEOUT_MS, rejectUnauthorized: config.SENDER_TLS_VERIFY });
  const handle = createHandler({ db: ds, secrets, blobs: await openBlobStore(config, bus), transport, subjects: bus.subjects });
  const metrics = createMetrics('sender');
  const stage = runStage(bus, { stage: 'sender', input: OutboundRequestedSchema, handle, tenantOf: (e) => e.tenantId, logger, metrics, concurrency: config.STAGE_CONCURRENCY });
  const ready = async () => ({ nats: !bus.nc.isClosed(), database: await ds.query('SELECT 1').then(() => true, () => false), consumer: stage.bound() });
  const health = await startHealthServer({ host: config.HEALTH_HOST, port: config.HEALTH_PORT, registry: metrics.registry, ready });
  process.once('SIGTERM', async () => {
    await stage.stop();
    await Promise.allSettled([health.close(), transport.close(), bus.close(), ds.destroy(), tracing.shutdown()]);
    process.exit(0);
  });
  logger.info({ healthPort: health.port }, 'sender started');
} catch (err) {
  logger.fatal({ err: describeError(err) }, 'sender could not start');
  process.stderr.write(`postroom sender: ${describeError(err)}\n`);
  process.exit(1);
}
