import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { headers } from '@nats-io/transport-node';
import { MailFetchedSchema, toBinary, type MailFetched } from '@postroom/contracts';
import { TerminalError } from '@postroom/errors';
import { openTestBus, silentLogger, TEST_POLICY, type TestBus } from '../test/bus-harness';
import { consumerState, fetched, fetchedEmit, parsedEmit } from '../test/events';
import { listDeadLetters, replayDeadLetter } from './dead-letters';
import { BusError } from './errors';
import { publishEvent } from './publish';
import { runStage, type StageRunner } from './run-stage';
import type { StageContext } from './process-message';

const WAIT = { timeout: 20_000, interval: 50 };

describe('dead letters', () => {
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
    });
  };

  const oneDeadLetter = async () => {
    let letters: Awaited<ReturnType<typeof listDeadLetters>> = [];
    await vi.waitFor(async () => {
      letters = await listDeadLetters(t.bus, { stage: 'parser' });
      expect(letters).toHaveLength(1);
    }, WAIT);
    return letters[0];
  };

  it('sends a TerminalError to dlq.<stage> with code, reason, stage, original subject and bytes', async () => {
    let calls = 0;
    start(async () => {
      calls += 1;
      throw new TerminalError('OVER_LIMIT', 'mail is 40 MB,\r\nlimit 25 MB');
    });
    const original = fetched('tenant-t', 'dead1');
    await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-t', 'dead1'), { tenantId: 'tenant-t' });
    const dl = await oneDeadLetter();
    expect(dl).toMatchObject({
      stage: 'parser',
      code: 'OVER_LIMIT',
      reason: 'mail is 40 MB, limit 25 MB',
      originalSubject: t.bus.subjects.mailFetched,
      tenantId: 'tenant-t',
    });
    expect(Buffer.from(dl.data)).toEqual(Buffer.from(toBinary(MailFetchedSchema, original)));
    const stored = await t.bus.jsm.streams.getMessage(t.bus.subjects.stream('DLQ'), { seq: dl.seq });
    expect(stored?.subject).toBe(t.bus.subjects.deadLetter('parser'));
    expect(stored?.header.get('Postroom-Original-Sequence')).toBe('1');
    expect(stored?.header.get('Nats-Msg-Id')).toBe('dlq:parser:1');
    await vi.waitFor(async () => expect(await consumerState(t.bus, 'parser')).toMatchObject({ ackPending: 0, pending: 0 }), WAIT);
    expect(calls).toBe(1);
  });

  it('dead-letters an unknown error after max_deliver attempts, flagging the last delivery', async () => {
    const seen: [number, boolean][] = [];
    start(async (_e, ctx) => {
      seen.push([ctx.deliveryCount, ctx.lastDelivery]);
      throw new Error('socket hang up');
    });
    await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-t', 'dead2'));
    const dl = await oneDeadLetter();
    expect(dl).toMatchObject({ code: 'UNKNOWN', reason: 'socket hang up', stage: 'parser' });
    expect(seen).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
  });

  it('dead-letters bytes that do not decode as DECODE_FAILED, without calling the handler', async () => {
    let calls = 0;
    start(async () => {
      calls += 1;
      return [];
    });
    const garbage = new Uint8Array([0x0a, 0xff, 0xff, 0xff]);
    await t.bus.js.publish(t.bus.subjects.mailFetched, garbage, { msgID: 'garbage-1' });
    const dl = await oneDeadLetter();
    expect(dl.code).toBe('DECODE_FAILED');
    expect(dl.reason).toContain('postroom.mail.v1.MailFetched');
    expect(Buffer.from(dl.data)).toEqual(Buffer.from(garbage));
    expect(calls).toBe(0);
  });

  it('replays a dead letter onto its original subject and removes it from the DLQ', async () => {
    const attempts: string[] = [];
    start(async (e, ctx) => {
      attempts.push(`${e.mail?.mailId}#${ctx.deliveryCount}`);
      if (attempts.length === 1) throw new TerminalError('CONFIG_GONE', 'mailbox deleted');
      return [parsedEmit(t.bus, e)];
    });
    await publishEvent(t.bus, fetchedEmit(t.bus, 'tenant-t', 'dead3'), { tenantId: 'tenant-t' });
    const dl = await oneDeadLetter();
    await replayDeadLetter(t.bus, dl.seq);
    await vi.waitFor(async () => {
      const out = await t.bus.jsm.streams.getMessage(t.bus.subjects.stream('MAIL'), { last_by_subj: t.bus.subjects.mailParsed });
      expect(out?.header.get('Nats-Msg-Id')).toBe('parsed:dead3');
      expect(out?.header.get('Postroom-Tenant')).toBe('tenant-t');
    }, WAIT);
    expect(attempts).toEqual(['dead3#1', 'dead3#1']);
    const replayed = await t.bus.jsm.streams.getMessage(t.bus.subjects.stream('MAIL'), { seq: 2 });
    expect(replayed?.subject).toBe(t.bus.subjects.mailFetched);
    expect(replayed?.header.get('Nats-Msg-Id')).toBe(`replay:${dl.seq}`);
    expect(replayed?.header.has('Postroom-Error-Code')).toBe(false);
    expect(await listDeadLetters(t.bus)).toEqual([]);
    await expect(replayDeadLetter(t.bus, dl.seq)).rejects.toMatchObject({ code: 'DEAD_LETTER_NOT_FOUND' });
    await expect(replayDeadLetter(t.bus, dl.seq)).rejects.toBeInstanceOf(BusError);
  });

  it('lists dead letters of one stage only, oldest first, up to the limit', async () => {
    for (const [stage, n] of [['parser', 1], ['sender', 2], ['parser', 3], ['parser', 4]] as const) {
      const h = headers();
      h.set('Postroom-Stage', stage);
      h.set('Postroom-Error-Code', `E${n}`);
      h.set('Postroom-Original-Subject', t.bus.subjects.mailFetched);
      await t.bus.js.publish(t.bus.subjects.deadLetter(stage), new Uint8Array([n]), { headers: h });
    }
    const parser = await listDeadLetters(t.bus, { stage: 'parser', limit: 2 });
    expect(parser.map((d) => d.code)).toEqual(['E1', 'E3']);
    const all = await listDeadLetters(t.bus);
    expect(all.map((d) => [d.stage, d.code])).toEqual([['parser', 'E1'], ['sender', 'E2'], ['parser', 'E3'], ['parser', 'E4']]);
  });

  it('replays a dead letter of a retired route to the subject its stage reads now', async () => {
    const h = headers();
    h.set('Postroom-Stage', 'attachment');
    h.set('Postroom-Error-Code', 'DB_DOWN');
    h.set('Postroom-Original-Subject', t.bus.subjects.ticketMessageAdded);
    const { seq } = await t.bus.js.publish(t.bus.subjects.deadLetter('attachment'), new Uint8Array([7]), { headers: h });
    await replayDeadLetter(t.bus, seq);
    const work = await t.bus.jsm.streams.getMessage(t.bus.subjects.stream('WORK'), { last_by_subj: t.bus.subjects.workRecordAttachments });
    expect([...work!.data]).toEqual([7]);
    expect(work!.header.get('Nats-Msg-Id')).toBe(`replay:${seq}`);
    expect((await t.bus.jsm.streams.info(t.bus.subjects.stream('TICKET'))).state.messages).toBe(0);
  });
});
