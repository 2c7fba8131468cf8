/**
 * The JetStream topology as data: which streams exist, which stage consumes
 * which subject, and the per-stage delivery policy (max_deliver, ack_wait,
 * the retry delay). Everything here is a setting NATS 2.9 understands: one
 * `filter_subject` per consumer, no stream metadata, no per-message TTL, no
 * consumer pause. Consumer `backoff` is deliberately unset: it only spaces
 * redeliveries after ack *timeouts* and would shorten ack_wait to its first
 * step; retry delays are passed to `nak(delay)` instead (see run-stage).
 */
import { AckPolicy, DeliverPolicy, DiscardPolicy, ReplayPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { STREAM_NAMES, type StageName, type StreamName, type Subjects } from '@postroom/contracts';

export type { StageName, StreamName };

const DAY_MS = 24 * 60 * 60 * 1000;

/** How each stage consumes: durable = stage name, from this stream, filtered to this subject. */
export const STAGES: Record<StageName, { filter: (s: Subjects) => string; stream: StreamName }> = {
  fetcher: { stream: 'MAIL', filter: (s) => s.mailPointerAll },
  parser: { stream: 'MAIL', filter: (s) => s.mailFetched },
  classifier: { stream: 'MAIL', filter: (s) => s.mailParsed },
  ticketer: { stream: 'MAIL', filter: (s) => s.mailClassified },
  attachment: { stream: 'WORK', filter: (s) => s.workRecordAttachments },
  sender: { stream: 'OUTBOUND', filter: (s) => s.outboundRequested },
  // Acts on the source IMAP message once it is filed (mailbox setting afterFiled); runs in the fetcher.
  'mailbox-actions': { stream: 'WORK', filter: (s) => s.workApplyAfterFiled },
};

export const STAGE_NAMES = Object.keys(STAGES) as StageName[];

/** Delivery and retry policy of every stage consumer. */
export interface ConsumerPolicy {
  /** Deliveries before a message is dead-lettered (the last one dead-letters on failure). */
  maxDeliver: number;
  /** Longer than the handler deadline; long work extends it with `ctx.working()`. */
  ackWaitMs: number;
  /** The deadline a handler is designed to finish in (documentation for handlers; < ackWaitMs). */
  handlerDeadlineMs: number;
  maxAckPending: number;
  /** nak delay for delivery n: min(baseDelayMs · 2^(n-1), maxDelayMs) + jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Jitter added to the delay, as a fraction of it (0.2 → up to +20 %). */
  jitter: number;
}

/** Production policy (build spec): max_deliver 8, ack_wait 60 s > 45 s handler deadline. */
export const CONSUMER_POLICY: Readonly<ConsumerPolicy> = Object.freeze({
  maxDeliver: 8,
  ackWaitMs: 60_000,
  handlerDeadlineMs: 45_000,
  maxAckPending: 1000,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  jitter: 0.2,
});

/** The production policy with test overrides applied. */
export const consumerPolicy = (override?: Partial<ConsumerPolicy>): ConsumerPolicy => ({ ...CONSUMER_POLICY, ...override });

/** The nak delay after failed delivery `deliveryCount` (1-based). */
export function retryDelayMs(deliveryCount: number, policy: ConsumerPolicy = CONSUMER_POLICY, random = Math.random): number {
  const exponent = Math.max(0, Math.min(deliveryCount - 1, 30));
  const base = Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs);
  return Math.round(base + base * policy.jitter * random());
}

/** Stream settings: file storage, limits retention, 7 days (DLQ 30), 2-minute dedupe window. */
export function streamConfig(s: Subjects, name: StreamName): Partial<StreamConfig> & { name: string } {
  return {
    name: s.stream(name),
    subjects: s.streamSubjects(name),
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos((name === 'DLQ' ? 30 : 7) * DAY_MS),
    duplicate_window: nanos(2 * 60 * 1000),
    num_replicas: 1,
  };
}

/** Durable pull consumer settings for a stage. */
export function consumerConfig(s: Subjects, stage: StageName, policy: ConsumerPolicy): Partial<ConsumerConfig> & {
  durable_name: string;
} {
  return {
    durable_name: stage,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    filter_subject: STAGES[stage].filter(s),
    max_deliver: policy.maxDeliver,
    ack_wait: nanos(policy.ackWaitMs),
    max_ack_pending: policy.maxAckPending,
  };
}

export { STREAM_NAMES };
