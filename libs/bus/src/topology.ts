/**
 * Idempotent provisioning of the streams and stage consumers declared in
 * streams.ts. Safe to run from every replica at every start: existing
 * objects are left alone unless their settings drifted, then updated where
 * the server allows (storage and retention cannot change; that is reported).
 */
import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';
import { isMessageNotFound, JetStreamApiError } from '@nats-io/jetstream/internal';
import type { Subjects } from '@postroom/contracts';
import type { Logger } from '@postroom/telemetry';
import type { Bus } from './connect';
import { BusError } from './errors';
import { consumerConfig, consumerPolicy, STAGE_NAMES, STAGES, STREAM_NAMES, streamConfig } from './streams';
import type { ConsumerPolicy, StageName, StreamName } from './streams';

/**
 * Durable consumers an earlier release declared and this one does not. The
 * attachment and mailbox-actions stages read `ticket.v1.message_added` from
 * TICKET until they moved to the WORK stream (the ticketer now hands them
 * only the emails they have work for). A retired consumer is deleted once
 * nothing is pending in it; until then it is left for the previous release's
 * replicas to drain and named in the log, so nothing in it is lost silently.
 */
export const RETIRED_CONSUMERS: ReadonlyArray<{ stream: StreamName; durable: StageName; filter: (s: Subjects) => string }> = [
  { stream: 'TICKET', durable: 'attachment', filter: (s) => s.ticketMessageAdded },
  { stream: 'TICKET', durable: 'mailbox-actions', filter: (s) => s.ticketMessageAdded },
];

/**
 * Where a stage's dead letter is replayed: its original subject, unless the
 * stage read it through a retired consumer; then the subject the stage reads
 * now, so the replay reaches the stage (and subscribers of the original
 * subject do not see the event a second time).
 */
export function replaySubject(s: Subjects, stage: string, originalSubject: string): string {
  const retired = RETIRED_CONSUMERS.find((r) => r.durable === stage && r.filter(s) === originalSubject);
  return retired ? STAGES[retired.durable].filter(s) : originalSubject;
}

export interface TopologyOptions {
  /** Overrides of the consumer policy (tests use short ack_wait / max_deliver). */
  policy?: Partial<ConsumerPolicy>;
  /** Provision only these stages' consumers (all by default). Streams are always all. */
  stages?: StageName[];
  /** Told about retired consumers left in place because messages are still pending in them. */
  logger?: Pick<Logger, 'warn'>;
}

const NOT_FOUND = 404;

function isNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && (err.status === NOT_FOUND || isMessageNotFound(err));
}

function drifted<T extends object>(want: Partial<T>, have: T): (keyof T)[] {
  return (Object.keys(want) as (keyof T)[]).filter((k) => JSON.stringify(want[k]) !== JSON.stringify(have[k]));
}

async function ensureStream(bus: Bus, name: StreamName): Promise<void> {
  const want = streamConfig(bus.subjects, name);
  let have: StreamConfig;
  try {
    have = (await bus.jsm.streams.info(want.name)).config;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await bus.jsm.streams.add(want);
    return;
  }
  const changed = drifted<StreamConfig>(want, have);
  if (changed.length === 0) return;
  const fixed = changed.filter((k) => k === 'storage' || k === 'retention');
  if (fixed.length > 0) {
    throw new BusError('TOPOLOGY_CONFLICT', `stream ${want.name}: ${fixed.join(', ')} differ and cannot be changed in place`);
  }
  const { name: _name, storage: _s, retention: _r, ...update } = want;
  await bus.jsm.streams.update(want.name, update);
}

async function ensureConsumer(bus: Bus, stage: StageName, policy: ConsumerPolicy): Promise<void> {
  const stream = bus.subjects.stream(STAGES[stage].stream);
  const want = consumerConfig(bus.subjects, stage, policy);
  let have: ConsumerConfig;
  try {
    have = (await bus.jsm.consumers.info(stream, stage)).config;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await bus.jsm.consumers.add(stream, want);
    return;
  }
  if (drifted<ConsumerConfig>(want, have).length === 0) return;
  const { durable_name: _d, deliver_policy: _p, replay_policy: _r, ...update } = want;
  await bus.jsm.consumers.update(stream, stage, update);
}

async function retireConsumer(bus: Bus, retired: (typeof RETIRED_CONSUMERS)[number], logger?: Pick<Logger, 'warn'>): Promise<void> {
  const stream = bus.subjects.stream(retired.stream);
  let pending: number;
  try {
    const info = await bus.jsm.consumers.info(stream, retired.durable);
    pending = info.num_pending + info.num_ack_pending;
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  if (pending === 0) {
    await bus.jsm.consumers.delete(stream, retired.durable);
    return;
  }
  logger?.warn(
    { stream, consumer: retired.durable, pending },
    'retired consumer still has messages pending; left in place until the previous release drains it (see docs/operations.md, upgrades)',
  );
}

/** Creates or updates every stream and stage consumer, and deletes drained retired ones; idempotent. */
export async function ensureTopology(bus: Bus, opts: TopologyOptions = {}): Promise<void> {
  const policy = consumerPolicy(opts.policy);
  for (const name of STREAM_NAMES) await ensureStream(bus, name);
  for (const stage of opts.stages ?? STAGE_NAMES) await ensureConsumer(bus, stage, policy);
  for (const retired of RETIRED_CONSUMERS) await retireConsumer(bus, retired, opts.logger);
}
