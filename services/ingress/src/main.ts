/** The ingress process: watches IMAP mailboxes and publishes a pointer per new email. */
import { connectBus, ensureTopology } from '@postroom/bus';
import { exitOnConfigError, loadConfig } from '@postroom/config';
import { createSecretBox } from '@postroom/crypto';
import { openDatabase } from '@postroom/db';
import { describeError } from '@postroom/errors';
import { createLogger, createMetrics, startHealthServer, startTracing } from '@postroom/telemetry';
import { ingressConfigSchema, ingressOptions } from './config';
import { startIngress } from './ingress';
import { createLeaseOwnership } from './lease-ownership';

const config = exitOnConfigError(() => loadConfig(ingressConfigSchema, process.env));
const logger = createLogger({ service: 'ingress', level: config.LOG_LEVEL });
const tracing = startTracing({ service: 'ingress', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
process.on('unhandledRejection', (err) => (logger.fatal({ err: describeError(err) }, 'unhandled rejection'), process.exit(70)));
try {
  const bus = await connectBus({ url: config.NATS_URL, namespace: config.NATS_NAMESPACE, name: 'ingress', logger });
  await ensureTopology(bus);
  const ds = await openDatabase(config.DATABASE_URL);
  const secrets = createSecretBox({ key: config.ENCRYPTION_KEY, previousKeys: config.ENCRYPTION_PREVIOUS_KEYS });
  const ownership = await createLeaseOwnership({ bus, ttlMs: config.INGRESS_LEASE_TTL_MS, owner: config.INGRESS_REPLICA_ID, logger });
  const supervisor = startIngress({ bus, ds, secrets, logger, ownership, options: ingressOptions(config) });
  const ready = async () => ({ nats: !bus.nc.isClosed(), database: await ds.query('SELECT 1').then(() => true, () => false), supervisor: supervisor.running() });
  const health = await startHealthServer({ host: config.HEALTH_HOST, port: config.HEALTH_PORT, registry: createMetrics('ingress').registry, ready });
  process.once('SIGTERM', async () => {
    logger.info('SIGTERM: stopping IDLE loops');
    await supervisor.stop();
    await ownership.close();
    await Promise.allSettled([health.close(), bus.close(), ds.destroy(), tracing.shutdown()]);
    process.exit(0);
  });
  logger.info({ healthPort: health.port }, 'ingress started');
} catch (err) {
  logger.fatal({ err: describeError(err) }, 'ingress could not start');
  process.stderr.write(`postroom ingress: ${describeError(err)}\n`);
  process.exit(1);
}
