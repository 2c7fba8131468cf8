import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MailFetchedSchema, MailParsedSchema, fromBinary, type MailFetched } from '@postroom/contracts';
import { RetryableError } from '@postroom/errors';
import { createMetrics } from '@postroom/telemetry';
import { openTestBus, silentLogger, TEST_POLICY, type TestBus } from '../test/bus-harness';
import { ensureTopology } from './topology';
import { consumerState, fetchedEmit, parsedEmit } from '../test/events';
import { publishEvent } from './publish';
import { runStage, type StageRunner } from './run-stage';
import type { StageContext } from './process-message';

const WAIT = { timeout: 20_000, interval: 50 };

describe('runStage', () => {
  let t: TestBus;
  let runner: StageRunner | undefined;

  beforeEach(async () => {
    t = await openTestBus();
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await t.cleanup();
  });

  const start = (handle: (e: MailFetched, ctx: StageContext) => Promise<ReturnType<typeof parsedEmit>[]>) => {
    runner = runStage(t.bus, {
      stage: 'parser',
      input: MailFetchedSchema,
      handle,
      tenantOf: (e) => e.mail?.tenantId ?? '',
      logger: silentLogger(),
      policy: TEST_POLICY,
      concurrency: 4,
    });
    return runner;
  };

  it('publishes the emits, then acks the input', async () => {
    const metrics = createMetrics('bustest');
    runner = runStage(t.bus, {
      stage: 'parser',
      input: MailFetchedSchema,
      handle: async (e) => [parsedEmit(t.bus, e)],
      tenantOf: (e) => e.mail?.tenantId ?? '',
      logger: silentLogger(),
      metrics,
    });
    await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-a', 'm1'), { tenantId: 'tenant-a' });
    await vi.waitFor(async () => expect(await consumerState(t.bus, 'parser')).toMatchObject({ pending: 0, ackPending: 0, delivered: 1 }), WAIT);
    const out = await t.bus.jsm.streams.getMessage(t.bus.subjects.stream('MAIL'), { last_by_subj: t.bus.subjects.mailParsed });
    expect(out).not.toBeNull();
    expect(out!.header.get('Nats-Msg-Id')).toBe('parsed:m1');
    expect(out!.header.get('Postroom-Tenant')).toBe('tenant-a');
    expect(fromBinary(MailParsedSchema, out!.data).mail?.mailId).toBe('m1');
    expect(runner.bound()).toBe(true);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/postroom_bustest_stage_messages_total\{stage="parser",outcome="ok"\} 1/);
  });

  it('naks a RetryableError with a delay and succeeds on a later delivery', async () => {
    const seen: number[] = [];
    start(async (e, ctx) => {
      seen.push(ctx.deliveryCount);
      if (ctx.deliveryCount < 3) throw new RetryableError('IMAP_DOWN', 'server went away');
      return [parsedEmit(t.bus, e)];
    });
    await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-a', 'm2'));
    await vi.waitFor(() => expect(seen).toEqual([1, 2, 3]), WAIT);
    await vi.waitFor(async () => expect(await consumerState(t.bus, 'parser')).toMatchObject({ ackPending: 0, pending: 0 }), WAIT);
    const out = await t.bus.jsm.streams.getMessage(t.bus.subjects.stream('MAIL'), { last_by_subj: t.bus.subjects.mailParsed });
    expect(out?.header.get('Nats-Msg-Id')).toBe('parsed:m2');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('does not ack when a downstream publish fails, so the input is retried', async () => {
    let calls = 0;
    start(async (e) => {
      calls += 1;
      // The first attempt emits to a subject no stream captures: no PubAck, so no ack.
      const emit = parsedEmit(t.bus, e);
      return calls === 1 ? [{ ...emit, subject: `${t.bus.namespace}.nowhere.v1.x` }] : [emit];
    });
    await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-a', 'm3'));
    await vi.waitFor(async () => {
      const out = await t.bus.jsm.streams.getMessage(t.bus.subjects.stream('MAIL'), { last_by_subj: t.bus.subjects.mailParsed });
      expect(out?.header.get('Nats-Msg-Id')).toBe('parsed:m3');
    }, WAIT);
    expect(calls).toBe(2);
  });

  it('stop() waits for the handler in flight, which still acks', async () => {
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    start(async (e) => {
      events.push('handler-started');
      await gate;
      events.push('handler-finished');
      return [parsedEmit(t.bus, e)];
    });
    await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-a', 'm4'));
    await vi.waitFor(() => expect(events).toContain('handler-started'), WAIT);
    const stopped = runner!.stop().then(() => events.push('stop-resolved'));
    events.push('stop-called');
    await new Promise((r) => setTimeout(r, 200));
    expect(events).toEqual(['handler-started', 'stop-called']);
    expect(runner!.bound()).toBe(false);
    release();
    await stopped;
    expect(events).toEqual(['handler-started', 'stop-called', 'handler-finished', 'stop-resolved']);
    await vi.waitFor(async () => expect(await consumerState(t.bus, 'parser')).toMatchObject({ ackPending: 0, pending: 0 }), WAIT);
  });

  /** What the client sends back on the parser consumer's ack subjects (+ACK, +WPI, -NAK), as the server receives it. */
  const watchAcks = () => {
    const bodies: string[] = [];
    const sub = t.bus.nc.subscribe(`$JS.ACK.${t.bus.subjects.stream('MAIL')}.parser.>`, {
      callback: (_err, m) => {
        bodies.push(new TextDecoder().decode(m.data));
      },
    });
    return { bodies, stop: () => sub.unsubscribe() };
  };

  it('working() reaches the server only once a tenth of ack_wait has passed, and keeps slow work from redelivery', async () => {
    const policy = { ...TEST_POLICY, ackWaitMs: 1000 };
    await ensureTopology(t.bus, { policy, stages: ['parser'] });
    const acks = watchAcks();
    const deliveries: string[] = [];
    runner = runStage(t.bus, {
      stage: 'parser', input: MailFetchedSchema, tenantOf: (e) => e.mail?.tenantId ?? '', logger: silentLogger(), policy,
      handle: async (e, ctx) => {
        const mailId = e.mail?.mailId ?? '';
        deliveries.push(mailId);
        // Fast work: five calls inside the first tenth of ack_wait send nothing.
        // Slow work (1.6 × ack_wait): calls every 50 ms extend the deadline about every 100 ms.
        const until = Date.now() + (mailId === 'slow' ? 1600 : 0);
        for (let i = 0; i < 5 || Date.now() < until; i += 1) {
          ctx.working();
          if (Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        }
        return [parsedEmit(t.bus, e)];
      },
    });
    await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-a', 'fast'));
    await vi.waitFor(() => expect(acks.bodies).toEqual(['+ACK']), WAIT);
    await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-a', 'slow'));
    await vi.waitFor(() => expect(acks.bodies.filter((b) => b === '+ACK')).toHaveLength(2), WAIT);
    acks.stop();
    const extensions = acks.bodies.filter((b) => b === '+WPI').length;
    expect(extensions).toBeGreaterThanOrEqual(8);
    expect(extensions).toBeLessThanOrEqual(16);
    expect(deliveries).toEqual(['fast', 'slow']);
    expect(await consumerState(t.bus, 'parser')).toMatchObject({ ackPending: 0, pending: 0, redelivered: 0 });
  });
});
