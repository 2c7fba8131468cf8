/**
 * Operator access to the DLQ stream: list what is there, and replay one
 * dead letter onto its original subject (a new Nats-Msg-Id `replay:<seq>`, so
 * the original id's dedupe window cannot swallow it), then delete it. A
 * dead letter of a route since retired goes to the subject its stage reads
 * now (topology.ts, replaySubject).
 */
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { nanos, type MsgHdrs } from '@nats-io/transport-node';
import type { Bus } from './connect';
import { copyUserHeaders } from './dead-letter';
import { BusError } from './errors';
import {
  ERROR_CODE_HEADER,
  ERROR_REASON_HEADER,
  ORIGINAL_SUBJECT_HEADER,
  STAGE_HEADER,
  TENANT_HEADER,
} from './headers';
import type { StageName } from './streams';
import { replaySubject } from './topology';

export interface DeadLetter {
  seq: number;
  stage: string;
  code: string;
  reason: string;
  originalSubject: string;
  tenantId: string;
  time: Date;
  data: Uint8Array;
}

const header = (h: MsgHdrs | undefined, name: string): string => (h?.has(name) ? h.get(name) : '');

function toDeadLetter(m: { seq: number; headers?: MsgHdrs; time: Date; data: Uint8Array }): DeadLetter {
  return {
    seq: m.seq,
    stage: header(m.headers, STAGE_HEADER),
    code: header(m.headers, ERROR_CODE_HEADER),
    reason: header(m.headers, ERROR_REASON_HEADER),
    originalSubject: header(m.headers, ORIGINAL_SUBJECT_HEADER),
    tenantId: header(m.headers, TENANT_HEADER),
    time: m.time,
    data: m.data,
  };
}

/**
 * Oldest first, at most `limit` (100). Reads through a short-lived ephemeral
 * consumer with one filter subject (NATS 2.9 allows only one), so nothing is
 * acknowledged or removed.
 */
export async function listDeadLetters(bus: Bus, opts: { stage?: StageName; limit?: number } = {}): Promise<DeadLetter[]> {
  const stream = bus.subjects.stream('DLQ');
  const info = await bus.jsm.consumers.add(stream, {
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.All,
    filter_subject: opts.stage ? bus.subjects.deadLetter(opts.stage) : bus.subjects.deadLetterAll,
    inactive_threshold: nanos(30_000),
    mem_storage: true,
  });
  try {
    const wanted = Math.min(opts.limit ?? 100, info.num_pending);
    if (wanted <= 0) return [];
    const consumer = await bus.js.consumers.get(stream, info.name);
    const out: DeadLetter[] = [];
    for await (const m of await consumer.fetch({ max_messages: wanted, expires: 5000 })) {
      out.push(toDeadLetter(m));
      if (out.length >= wanted) break;
    }
    return out;
  } finally {
    await bus.jsm.consumers.delete(stream, info.name).catch(() => undefined);
  }
}

/** Republishes dead letter `seq` to its original subject (or its stage's current one), then deletes it from the DLQ stream. */
export async function replayDeadLetter(bus: Bus, seq: number): Promise<void> {
  const stream = bus.subjects.stream('DLQ');
  const stored = await bus.jsm.streams.getMessage(stream, { seq });
  if (!stored) throw new BusError('DEAD_LETTER_NOT_FOUND', `dead letter ${seq} not found in stream ${stream}`);
  const original = header(stored.header, ORIGINAL_SUBJECT_HEADER);
  if (!original) throw new BusError('DEAD_LETTER_NOT_FOUND', `dead letter ${seq} has no ${ORIGINAL_SUBJECT_HEADER}`);
  const h = copyUserHeaders(stored.header, (name) => /^postroom-(error|stage|original|delivery)/i.test(name));
  const subject = replaySubject(bus.subjects, header(stored.header, STAGE_HEADER), original);
  await bus.js.publish(subject, stored.data, { msgID: `replay:${seq}`, headers: h });
  await bus.jsm.streams.deleteMessage(stream, seq, false);
}
