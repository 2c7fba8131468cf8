/** The classifier process: parsed mail → verdict (spam, bounce, auto-reply, …) → MailClassified events. */
import { connectBus, ensureTopology, runStage } from '@postroom/bus';
import { openBlobStore } from '@postroom/blob';
import { exitOnConfigError } from '@postroom/config';
import { MailParsedSchema, type MailParsed } from '@postroom/contracts';
import { describeError } from '@postroom/errors';
import { createLogger, createMetrics, startHealthServer, startTracing } from '@postroom/telemetry';
import { loadClassifierConfig, rulesOptionsOf } from './config';
import { createHandler } from './handler';
import { createRules } from './rules/index';

const config = exitOnConfigError(() => loadClassifierConfig(process.env));
const logger = createLogger({ service: 'classifier', level: config.LOG_LEVEL });
const tracing = startTracing({ service: 'classifier', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
process.on('unhandledRejection', (err) => (logger.fatal({ err: describeError(err) }, 'unhandled rejection'), process.exit(70)));
try {
  const bus = await connectBus({ url: config.NATS_URL, namespace: config.NATS_NAMESPACE, name: 'classifier', logger });
  await ensureTopology(bus);
  const rules = createRules(rulesOptionsOf(config));
  const handle = createHandler({ blobs: await openBlobStore(config, bus), subjects: bus.subjects, rules });
  const metrics = createMetrics('classifier');
  const tenantOf = (e: MailParsed) => e.mail?.tenantId ?? '';
  const stage = runStage(bus, { stage: 'classifier', input: MailParsedSchema, handle, tenantOf, logger, metrics, concurrency: config.STAGE_CONCURRENCY });
  const ready = async () => ({ nats: !bus.nc.isClosed(), consumer: stage.bound() });
  const health = await startHealthServer({ host: config.HEALTH_HOST, port: config.HEALTH_PORT, registry: metrics.registry, ready });
  process.once('SIGTERM', async () => {
    await stage.stop();
    await Promise.allSettled([health.close(), bus.close(), tracing.shutdown()]);
    process.exit(0);
  });
  logger.info({ healthPort: health.port }, 'classifier started');
} catch (err) {
  logger.fatal({ err: describeError(err) }, 'classifier could not start');
  process.stderr.write(`postroom classifier: ${describeError(err)}\n`);
  process.exit(1);
}
