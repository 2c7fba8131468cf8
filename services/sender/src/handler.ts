/**
 * outbound.v1.requested → one SMTP send → outbound.v1.sent | outbound.v1.failed.
 * A failed send is a business outcome (reported, acked), not a dead letter;
 * only retryable failures throw, so the bus naks with a growing delay.
 */
import type { Emit, StageContext } from '@postroom/bus';
import { OutboundFailedSchema, OutboundSentSchema, create, type OutboundRequested } from '@postroom/contracts';
import type { SenderDeps } from './ports';
import { sendOutbound, type SendOutcome } from './send-outbound';

/**
 * `outbound-failed:<row>:<attempt>`: after an operator's retry the next
 * failure is a new event, which JetStream's duplicate window must not drop;
 * a republish of the same attempt keeps the same id.
 */
function toEmit(deps: SenderDeps, o: SendOutcome): Emit {
  const m = o.message;
  if (o.status === 'sent') {
    return {
      subject: deps.subjects.outboundSent,
      schema: OutboundSentSchema,
      msgId: `outbound-sent:${m.id}`,
      event: create(OutboundSentSchema, {
        tenantId: m.tenantId,
        messageId: m.id,
        ticketId: m.ticketId ?? '',
        messageIdHeader: m.messageIdHeader,
        sentAtMs: BigInt((m.sentAt ?? new Date()).getTime()),
        response: o.response,
      }),
    };
  }
  return {
    subject: deps.subjects.outboundFailed,
    schema: OutboundFailedSchema,
    msgId: `outbound-failed:${m.id}:${m.sendAttempts}`,
    event: create(OutboundFailedSchema, {
      tenantId: m.tenantId,
      messageId: m.id,
      ticketId: m.ticketId ?? '',
      code: o.code,
      reason: o.reason,
      failedAtMs: BigInt((deps.clock ?? (() => new Date()))().getTime()),
    }),
  };
}

export const createHandler = (deps: SenderDeps) => async (e: OutboundRequested, ctx?: StageContext): Promise<Emit[]> => {
  const outcome = await sendOutbound(deps, e, ctx);
  if (!outcome) return [];
  ctx?.logger.info({ messageId: outcome.message.id, status: outcome.status }, 'outbound send settled');
  return [toEmit(deps, outcome)];
};
