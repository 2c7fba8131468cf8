/**
 * Idempotent provisioning of the streams and stage consumers declared in
 * streams.ts. Safe to run from every replica at every start: existing
 * objects are left alone unless their settings drifted, then updated where
 * the server allows (storage and retention cannot change; that is reported).
 */
import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';
import { isMessageNotFound, JetStreamApiError } from '@nats-io/jetstream/internal';
import type { Bus } from './connect';
import { BusError } from './errors';
import { consumerConfig, consumerPolicy, STAGE_NAMES, STAGES, STREAM_NAMES, streamConfig } from './streams';
import type { ConsumerPolicy, StageName, StreamName } from './streams';

export interface TopologyOptions {
  /** Overrides of the consumer policy (tests use short ack_wait / max_deliver). */
  policy?: Partial<ConsumerPolicy>;
  /** Provision only these stages' consumers (all by default). Streams are always all. */
  stages?: StageName[];
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

/** Creates or updates every stream and stage consumer; idempotent. */
export async function ensureTopology(bus: Bus, opts: TopologyOptions = {}): Promise<void> {
  const policy = consumerPolicy(opts.policy);
  for (const name of STREAM_NAMES) await ensureStream(bus, name);
  for (const stage of opts.stages ?? STAGE_NAMES) await ensureConsumer(bus, stage, policy);
}
