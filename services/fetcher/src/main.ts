/** The fetcher process: pointer → raw RFC 5322 bytes in the blob store → MailFetched. */
import { openBlobStore } from '@postroom/blob';
import { connectBus, ensureTopology } from '@postroom/bus';
import { exitOnConfigError, loadConfig } from '@postroom/config';
import { createSecretBox } from '@postroom/crypto';
import { openDatabase } from '@postroom/db';
import { describeError } from '@postroom/errors';
import { createLogger, createMetrics, startHealthServer, startTracing } from '@postroom/telemetry';
import { fetcherConfigSchema } from './config';
import { startFetcher } from './fetcher';

const config = exitOnConfigError(() => loadConfig(fetcherConfigSchema, process.env));
const logger = createLogger({ service: 'fetcher', level: config.LOG_LEVEL });
const tracing = startTracing({ service: 'fetcher', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
process.on('unhandledRejection', (err) => (logger.fatal({ err: describeError(err) }, 'unhandled rejection'), process.exit(70)));
try {
  const bus = await connectBus({ url: config.NATS_URL, namespace: config.NATS_NAMESPACE, name: 'fetcher', logger });
  await ensureTopology(bus);
  const ds = await openDatabase(config.DATABASE_URL);
  const secrets = createSecretBox({ key: config.ENCRYPTION_KEY, previousKeys: config.ENCRYPTION_PREVIOUS_KEYS });
  const metrics = createMetrics('fetcher');
  const fetcher = startFetcher({
    bus, ds, secrets, logger, metrics, blobs: await openBlobStore(config, bus), concurrency: config.STAGE_CONCURRENCY,
    maxMessageBytes: config.FETCHER_MAX_MESSAGE_BYTES, idleCloseMs: config.FETCHER_IDLE_CLOSE_MS,
  });
  const ready = async () => ({ nats: !bus.nc.isClosed(), database: await ds.query('SELECT 1').then(() => true, () => false), consumer: fetcher.stage.bound() });
  const health = await startHealthServer({ host: config.HEALTH_HOST, port: config.HEALTH_PORT, registry: metrics.registry, ready });
  process.once('SIGTERM', async () => {
    logger.info('SIGTERM: draining');
    await fetcher.stop();
    await Promise.allSettled([health.close(), bus.close(), ds.destroy(), tracing.shutdown()]);
    process.exit(0);
  });
  logger.info({ healthPort: health.port }, 'fetcher started');
} catch (err) {
  logger.fatal({ err: describeError(err) }, 'fetcher could not start');
  process.stderr.write(`postroom fetcher: ${describeError(err)}\n`);
  process.exit(1);
}
