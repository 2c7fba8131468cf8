/**
 * The one way an event leaves a service: protobuf bytes on a JetStream
 * subject, with `Nats-Msg-Id` (JetStream drops a second publish with the same
 * id inside the stream's duplicate window), the tenant, and the W3C trace
 * context of the active span, inside a PRODUCER span "send <subject>".
 */
import type { PubAck } from '@nats-io/jetstream';
import { toBinary, type GenMessage } from '@postroom/contracts';
import type { Message } from '@bufbuild/protobuf';
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { describeError } from '@postroom/errors';
import type { Bus } from './connect';
import { outgoingHeaders } from './trace-carrier';

export type { PubAck };

/** One event a handler wants published. `msgId` = `<stage>:<stable id>` (style guide §9). */
export interface Emit<T extends Message = Message> {
  subject: string;
  schema: GenMessage<T>;
  event: T;
  msgId: string;
  /**
   * The event's encoding, when the handler built it without encoding the
   * whole event again (encodeWithEmbedded); it must decode as `event`.
   */
  encoded?: Uint8Array;
}

export const TRACER_NAME = '@postroom/bus';

/** Marks a span failed with the error (non-Error values are wrapped) and its one-line description. */
export function failSpan(span: Span, err: unknown): void {
  const reason = describeError(err);
  span.recordException(err instanceof Error ? err : new Error(reason));
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
}

/** Publishes and awaits the PubAck; `ack.duplicate` is true when JetStream deduplicated it. */
export async function publishEvent(bus: Bus, emit: Emit, opts: { tenantId?: string } = {}): Promise<PubAck> {
  const tracer = trace.getTracer(TRACER_NAME);
  const attributes = {
    'messaging.system': 'nats',
    'messaging.operation.type': 'send',
    'messaging.destination.name': emit.subject,
    'messaging.message.id': emit.msgId,
    ...(opts.tenantId ? { 'postroom.tenant_id': opts.tenantId } : {}),
  };
  return tracer.startActiveSpan(`send ${emit.subject}`, { kind: SpanKind.PRODUCER, attributes }, async (span) => {
    try {
      const h = outgoingHeaders(opts.tenantId);
      const data = emit.encoded ?? toBinary(emit.schema, emit.event);
      const ack = await bus.js.publish(emit.subject, data, { msgID: emit.msgId, headers: h });
      if (ack.duplicate) span.setAttribute('postroom.duplicate', true);
      return ack;
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}
