/**
 * What happens to one delivered message: the consumer span (its parent is
 * the context extracted from the message headers), decode, handle, publish
 * every emit and await its PubAck, and only then ack. Failures are sorted
 * into retry (`nak` with a growing delay) or dead letter (terminal errors,
 * decode failures, and any failure on the last delivery).
 */
import type { JsMsg } from '@nats-io/jetstream';
import type { Message } from '@bufbuild/protobuf';
import { fromBinary, type GenMessage } from '@postroom/contracts';
import { describeError, errorCode, isTerminal, TerminalError } from '@postroom/errors';
import type { Logger, StageOutcome } from '@postroom/telemetry';
import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Span } from '@opentelemetry/api';
import type { Bus } from './connect';
import { deadLetter } from './dead-letter';
import { TENANT_HEADER } from './headers';
import { failSpan, publishEvent, TRACER_NAME, type Emit } from './publish';
import { retryDelayMs, type ConsumerPolicy, type StageName } from './streams';
import { headerGetter } from './trace-carrier';

export interface StageContext {
  deliveryCount: number;
  lastDelivery: boolean;
  /**
   * Extends the ack deadline for long work (`+WPI`, resets ack_wait). Call it
   * freely: it reaches the server only once a tenth of ack_wait has passed
   * since the handler started or since the last extension, so fast work does
   * not pay a NATS message per call.
   */
  working(): void;
  /** Child logger with stage, tenant and mail id. */
  logger: Logger;
  /** The delivered bytes the event was decoded from (to forward them unchanged, see encodeWithEmbedded). */
  input: Uint8Array;
}

export interface StageHandlerOptions<T extends Message> {
  stage: StageName;
  input: GenMessage<T>;
  handle: (event: T, ctx: StageContext) => Promise<Emit[]>;
  tenantOf: (event: T) => string;
  /** The mail id for logs and spans; by default `event.mail.mailId` when the event has one. */
  mailIdOf?: (event: T) => string | undefined;
  logger: Logger;
}

interface Delivery {
  policy: ConsumerPolicy;
  /** max_deliver as the server has it (authoritative over the policy); -1 = unlimited. */
  maxDeliver: number;
}

const defaultMailId = (event: unknown): string | undefined => {
  const id = (event as { mail?: { mailId?: unknown } }).mail?.mailId;
  return typeof id === 'string' && id !== '' ? id : undefined;
};

async function fail<T extends Message>(
  bus: Bus,
  msg: JsMsg,
  opts: StageHandlerOptions<T>,
  d: Delivery & { err: unknown; tenantId?: string; log: () => Logger; span: Span },
): Promise<StageOutcome> {
  const n = msg.info.deliveryCount;
  const last = d.maxDeliver > 0 && n >= d.maxDeliver;
  const code = errorCode(d.err);
  const reason = describeError(d.err);
  failSpan(d.span, d.err);
  if (!isTerminal(d.err) && !last) {
    const delay = retryDelayMs(n, d.policy);
    d.log().warn({ code, reason, deliveryCount: n, retryInMs: delay }, 'stage failed, will retry');
    msg.nak(delay);
    return 'retry';
  }
  d.log().error({ code, reason, deliveryCount: n, terminal: isTerminal(d.err) }, 'stage failed, dead-lettering');
  await deadLetter(bus, msg, { stage: opts.stage, code, reason, tenantId: d.tenantId });
  return 'dead_letter';
}

/** `msg.working()` at most once per tenth of ack_wait: the deadline then never falls below 90 % of ack_wait ahead of the caller. */
function throttledWorking(msg: JsMsg, ackWaitMs: number): () => void {
  let extendedAt = Date.now();
  return () => {
    const now = Date.now();
    if (now - extendedAt < ackWaitMs / 10) return;
    extendedAt = now;
    msg.working();
  };
}

async function handleDecoded<T extends Message>(
  bus: Bus,
  msg: JsMsg,
  opts: StageHandlerOptions<T>,
  x: { event: T; tenantId: string; log: () => Logger; lastDelivery: boolean; ackWaitMs: number },
): Promise<StageOutcome> {
  const ctx: StageContext = {
    deliveryCount: msg.info.deliveryCount,
    lastDelivery: x.lastDelivery,
    working: throttledWorking(msg, x.ackWaitMs),
    input: msg.data,
    get logger() {
      return x.log();
    },
  };
  const emits = await opts.handle(x.event, ctx);
  let duplicates = 0;
  for (const emit of emits) {
    const ack = await publishEvent(bus, emit, { tenantId: x.tenantId });
    if (ack.duplicate) duplicates += 1;
  }
  msg.ack();
  return emits.length > 0 && duplicates === emits.length ? 'duplicate' : 'ok';
}

function decode<T extends Message>(opts: StageHandlerOptions<T>, data: Uint8Array): T {
  try {
    return fromBinary(opts.input, data);
  } catch (err) {
    throw new TerminalError('DECODE_FAILED', `cannot decode ${opts.input.typeName}: ${describeError(err)}`, {
      cause: err,
    });
  }
}

async function run<T extends Message>(
  bus: Bus,
  msg: JsMsg,
  opts: StageHandlerOptions<T>,
  d: Delivery & { span: Span },
): Promise<StageOutcome> {
  // The tenant header lets a message that cannot be decoded still be filed under its tenant.
  let tenantId = msg.headers?.has(TENANT_HEADER) ? msg.headers.get(TENANT_HEADER) : undefined;
  let mailId: string | undefined;
  // Made on first use, with the bindings known by then: pino's child() runs the
  // redaction over its bindings, a cost every message paid for lines only a failure writes.
  let child: Logger | undefined;
  const log = () => (child ??= opts.logger.child({ stage: opts.stage, seq: msg.seq, tenant: tenantId, mailId }));
  try {
    const event = decode(opts, msg.data);
    tenantId = opts.tenantOf(event) || tenantId;
    mailId = (opts.mailIdOf ?? defaultMailId)(event);
    if (tenantId) d.span.setAttribute('postroom.tenant_id', tenantId);
    if (mailId) d.span.setAttribute('postroom.mail_id', mailId);
    const lastDelivery = d.maxDeliver > 0 && msg.info.deliveryCount >= d.maxDeliver;
    const ackWaitMs = d.policy.ackWaitMs;
    return await handleDecoded(bus, msg, opts, { event, tenantId: tenantId ?? '', log, lastDelivery, ackWaitMs });
  } catch (err) {
    return fail(bus, msg, opts, { ...d, err, tenantId, log });
  }
}

/** Handles one message end to end; never throws (failures become nak or dead letter). */
export async function processMessage<T extends Message>(
  bus: Bus,
  msg: JsMsg,
  opts: StageHandlerOptions<T>,
  d: Delivery,
): Promise<StageOutcome> {
  const parent = propagation.extract(ROOT_CONTEXT, msg.headers, headerGetter);
  const span = trace.getTracer(TRACER_NAME).startSpan(
    `process ${msg.subject}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'nats',
        'messaging.operation.type': 'process',
        'messaging.destination.name': msg.subject,
        'messaging.consumer.group.name': opts.stage,
        'messaging.message.delivery_count': msg.info.deliveryCount,
      },
    },
    parent,
  );
  return context.with(trace.setSpan(parent, span), () => run(bus, msg, opts, { ...d, span }).finally(() => span.end()));
}
