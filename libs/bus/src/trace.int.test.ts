import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { MailFetchedSchema } from '@postroom/contracts';
import { startTracing } from '@postroom/telemetry';
import { openTestBus, silentLogger, type TestBus } from '../test/bus-harness';
import { fetchedEmit, parsedEmit } from '../test/events';
import { publishEvent } from './publish';
import { runStage } from './run-stage';

describe('trace context across the bus', () => {
  let t: TestBus;
  const exporter = new InMemorySpanExporter();
  let tracing: ReturnType<typeof startTracing>;

  beforeAll(async () => {
    tracing = startTracing({ service: 'bus-trace-test', exporter });
    t = await openTestBus();
  });
  afterAll(async () => {
    await t.cleanup();
    await tracing.shutdown();
  });

  const named = (name: string): ReadableSpan | undefined => exporter.getFinishedSpans().find((s) => s.name === name);

  it('makes the consumer span a child of the producer span, and the handler publishes in the same trace', async () => {
    const runner = runStage(t.bus, {
      stage: 'parser',
      input: MailFetchedSchema,
      handle: async (e) => [parsedEmit(t.bus, e)],
      tenantOf: (e) => e.mail?.tenantId ?? '',
      logger: silentLogger(),
    });
    await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-x', 'traced1'), { tenantId: 'tenant-x' });
    const fetchedSubject = t.bus.subjects.mailFetched;
    const parsedSubject = t.bus.subjects.mailParsed;
    await vi.waitFor(() => expect(named(`send ${parsedSubject}`)).toBeDefined(), { timeout: 20_000, interval: 50 });
    await runner.stop();

    const send = named(`send ${fetchedSubject}`)!;
    const process = named(`process ${fetchedSubject}`)!;
    const emit = named(`send ${parsedSubject}`)!;
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.spanContext().traceId).toBe(send.spanContext().traceId);
    expect(process.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
    expect(emit.spanContext().traceId).toBe(send.spanContext().traceId);
    expect(emit.parentSpanContext?.spanId).toBe(process.spanContext().spanId);
    expect(process.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': fetchedSubject,
      'messaging.consumer.group.name': 'parser',
      'postroom.tenant_id': 'tenant-x',
      'postroom.mail_id': 'traced1',
    });

    const stored = await t.bus.jsm.streams.getMessage(t.bus.subjects.stream('MAIL'), { last_by_subj: parsedSubject });
    expect(stored?.header.get('traceparent').split('-')[1]).toBe(send.spanContext().traceId);
  });
});
