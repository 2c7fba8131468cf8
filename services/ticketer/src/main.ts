/** The ticketer process: classified mail → tickets and messages in PostgreSQL → ticket events; the agent-reply command. */
import { connectBus, ensureTopology, runStage } from '@postroom/bus';
import { openBlobStore } from '@postroom/blob';
import { exitOnConfigError } from '@postroom/config';
import { MailClassifiedSchema } from '@postroom/contracts';
import { openDatabase } from '@postroom/db';
import { describeError } from '@postroom/errors';
import { createLogger, createMetrics, startHealthServer, startTracing } from '@postroom/telemetry';
import { loadTicketerConfig, policyOf } from './config';
import { createHandler } from './handler';
import { startReplyCommand } from './reply-command';

const config = exitOnConfigError(() => loadTicketerConfig(process.env));
const logger = createLogger({ service: 'ticketer', level: config.LOG_LEVEL });
const tracing = startTracing({ service: 'ticketer', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
process.on('unhandledRejection', (err) => (logger.fatal({ err: describeError(err) }, 'unhandled rejection'), process.exit(70)));
try {
  const bus = await connectBus({ url: config.NATS_URL, namespace: config.NATS_NAMESPACE, name: 'ticketer', logger });
  await ensureTopology(bus);
  const ds = await openDatabase(config.DATABASE_URL, { applicationName: 'postroom-ticketer' });
  const handle = createHandler({ db: ds, blobs: await openBlobStore(config, bus), subjects: bus.subjects, policy: policyOf(config) });
  const metrics = createMetrics('ticketer');
  const stage = runStage(bus, {
    stage: 'ticketer', input: MailClassifiedSchema, handle, logger, metrics, concurrency: config.STAGE_CONCURRENCY,
    tenantOf: (e) => e.parsed?.mail?.tenantId ?? '', mailIdOf: (e) => e.parsed?.mail?.mailId,
  });
  const replies = startReplyCommand({ bus, ds, logger, tagFormat: config.TICKETER_TICKET_TAG });
  const ready = async () => ({ nats: !bus.nc.isClosed(), database: await ds.query('SELECT 1').then(() => true, () => false), consumer: stage.bound() });
  const health = await startHealthServer({ host: config.HEALTH_HOST, port: config.HEALTH_PORT, registry: metrics.registry, ready });
  process.once('SIGTERM', async () => {
    await Promise.all([stage.stop(), replies.stop()]);
    await Promise.allSettled([health.close(), bus.close(), ds.destroy(), tracing.shutdown()]);
    process.exit(0);
  });
  logger.info({ healthPort: health.port }, 'ticketer started');
} catch (err) {
  logger.fatal({ err: describeError(err) }, 'ticketer could not start');
  process.stderr.write(`postroom ticketer: ${describeError(err)}\n`);
  process.exit(1);
}
