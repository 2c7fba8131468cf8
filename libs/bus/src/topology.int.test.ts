import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STREAM_NAMES } from '@postroom/contracts';
import { nanos } from '@nats-io/transport-node';
import { openTestBus, type TestBus } from '../test/bus-harness';
import { fetchedEmit } from '../test/events';
import { publishEvent } from './publish';
import { CONSUMER_POLICY, STAGE_NAMES, STAGES } from './streams';
import { ensureTopology } from './topology';
import { AckPolicy } from '@nats-io/jetstream';

describe('ensureTopology', () => {
  let t: TestBus;
  beforeEach(async () => {
    t = await openTestBus({ topology: false });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('creates every stream and stage consumer with the production policy, and is idempotent', async () => {
    await ensureTopology(t.bus);
    const before = await t.bus.jsm.streams.info(t.bus.subjects.stream('MAIL'));
    await ensureTopology(t.bus);
    const after = await t.bus.jsm.streams.info(t.bus.subjects.stream('MAIL'));
    expect(after.created).toEqual(before.created);
    for (const name of STREAM_NAMES) {
      const info = await t.bus.jsm.streams.info(t.bus.subjects.stream(name));
      expect(info.config.subjects).toEqual(t.bus.subjects.streamSubjects(name));
      expect(info.config.max_age).toBe(nanos((name === 'DLQ' ? 30 : 7) * 86_400_000));
      expect(info.config.duplicate_window).toBe(nanos(120_000));
      expect(info.config.storage).toBe('file');
    }
    for (const stage of STAGE_NAMES) {
      const c = await t.bus.jsm.consumers.info(t.bus.subjects.stream(STAGES[stage].stream), stage);
      expect(c.config).toMatchObject({
        durable_name: stage,
        ack_policy: 'explicit',
        filter_subject: STAGES[stage].filter(t.bus.subjects),
        max_deliver: CONSUMER_POLICY.maxDeliver,
        ack_wait: nanos(60_000),
        max_ack_pending: 1000,
      });
      expect(c.config.backoff).toBeUndefined();
    }
  });

  it('updates a consumer whose policy drifted, keeping its position', async () => {
    await ensureTopology(t.bus, { stages: ['parser'] });
    await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-a', 'drift1'));
    await ensureTopology(t.bus, { stages: ['parser'], policy: { maxDeliver: 4, ackWaitMs: 30_000 } });
    const c = await t.bus.jsm.consumers.info(t.bus.subjects.stream('MAIL'), 'parser');
    expect(c.config.max_deliver).toBe(4);
    expect(c.config.ack_wait).toBe(nanos(30_000));
    expect(c.num_pending).toBe(1);
    await expect(t.bus.jsm.consumers.info(t.bus.subjects.stream('MAIL'), 'fetcher')).rejects.toThrow();
  });

  it('restores a stream setting that drifted', async () => {
    await ensureTopology(t.bus, { stages: [] });
    const name = t.bus.subjects.stream('TICKET');
    await t.bus.jsm.streams.update(name, { max_age: nanos(3_600_000), duplicate_window: nanos(60_000) });
    await ensureTopology(t.bus, { stages: [] });
    const cfg = (await t.bus.jsm.streams.info(name)).config;
    expect(cfg.max_age).toBe(nanos(7 * 86_400_000));
    expect(cfg.duplicate_window).toBe(nanos(120_000));
  });
});

describe('retired consumers', () => {
  let t: TestBus;
  beforeEach(async () => {
    t = await openTestBus({ topology: false });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  /** The attachment consumer as the previous release declared it: on TICKET, reading every message_added. */
  const addLegacyConsumer = () =>
    t.bus.jsm.consumers.add(t.bus.subjects.stream('TICKET'), {
      durable_name: 'attachment', ack_policy: AckPolicy.Explicit, filter_subject: `${t.bus.namespace}.ticket.v1.message_added`,
    });

  it('are deleted once drained, and left in place (and named in the log) while messages are pending in them', async () => {
    await ensureTopology(t.bus, { stages: [] });
    await addLegacyConsumer();
    await t.bus.js.publish(`${t.bus.namespace}.ticket.v1.message_added`, new Uint8Array([1]));
    const warnings: Array<Record<string, unknown>> = [];
    const logger = { warn: (fields: Record<string, unknown>) => warnings.push(fields) };
    await ensureTopology(t.bus, { stages: [], logger: logger as never });
    const stream = t.bus.subjects.stream('TICKET');
    expect((await t.bus.jsm.consumers.info(stream, 'attachment')).num_pending).toBe(1);
    expect(warnings).toEqual([{ stream, consumer: 'attachment', pending: 1 }]);

    const consumer = await t.bus.js.consumers.get(stream, 'attachment');
    const msg = await consumer.next({ expires: 2000 });
    await msg!.ackAck();
    await ensureTopology(t.bus, { stages: [], logger: logger as never });
    await expect(t.bus.jsm.consumers.info(stream, 'attachment')).rejects.toThrow(/consumer not found/);
    expect(warnings).toHaveLength(1);
  });
});

describe('publishEvent', () => {
  let t: TestBus;
  beforeEach(async () => {
    t = await openTestBus();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('deduplicates a second publish with the same msgId', async () => {
    const first = await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-a', 'dup1'), { tenantId: 'tenant-a' });
    const second = await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-a', 'dup1'), { tenantId: 'tenant-a' });
    const other = await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-a', 'dup2'));
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    expect(other.seq).toBe(first.seq + 1);
    const stored = await t.bus.jsm.streams.getMessage(t.bus.subjects.stream('MAIL'), { seq: first.seq });
    expect(stored?.header.get('Nats-Msg-Id')).toBe('fetched:dup1');
    expect(stored?.header.get('Postroom-Tenant')).toBe('tenant-a');
  });

  it('publishes the bytes a handler encoded itself, when it gives them', async () => {
    const emit = fetchedEmit(t.bus, 'tenant-a', 'enc1');
    const encoded = new Uint8Array([0x0a, 0x00]);
    const ack = await publishEvent(t.bus, { ...emit, encoded });
    const stored = await t.bus.jsm.streams.getMessage(t.bus.subjects.stream('MAIL'), { seq: ack.seq });
    expect([...stored!.data]).toEqual([0x0a, 0x00]);
  });
});
