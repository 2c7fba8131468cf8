/**
 * Nothing is silently dropped (architecture invariant 4): a message that
 * failed terminally, or on its last delivery, is copied byte for byte to
 * `dlq.<stage>` with why it failed, then terminated on its consumer. An
 * operator lists dead letters and replays them onto their original subject.
 *
 * `term()` is sent without a reason: NATS 2.9 does not understand
 * `+TERM <reason>` (2.11+), so the reason travels in the DLQ headers instead.
 */
import type { JsMsg } from '@nats-io/jetstream';
import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { Bus } from './connect';
import {
  DELIVERY_COUNT_HEADER,
  ERROR_CODE_HEADER,
  ERROR_REASON_HEADER,
  ORIGINAL_SEQUENCE_HEADER,
  ORIGINAL_SUBJECT_HEADER,
  STAGE_HEADER,
  TENANT_HEADER,
  headerValue,
} from './headers';
import type { StageName } from './streams';

export interface DeadLetterInfo {
  stage: StageName;
  code: string;
  reason: string;
  tenantId?: string;
}

/**
 * Copies the original headers except JetStream's own (`Nats-*`: the
 * original Nats-Msg-Id would make the DLQ publish a duplicate), keeping trace
 * context and the tenant.
 */
export function copyUserHeaders(from: MsgHdrs | undefined, skip: (name: string) => boolean = () => false): MsgHdrs {
  const out = headers();
  if (!from) return out;
  for (const [name, values] of from) {
    if (/^nats-/i.test(name) || skip(name)) continue;
    for (const value of values) out.append(name, value);
  }
  return out;
}

/** Publishes the original bytes to `dlq.<stage>`, awaits the PubAck, then terminates the message. */
export async function deadLetter(bus: Bus, msg: JsMsg, info: DeadLetterInfo): Promise<void> {
  const h = copyUserHeaders(msg.headers);
  h.set(ERROR_CODE_HEADER, headerValue(info.code, 100));
  h.set(ERROR_REASON_HEADER, headerValue(info.reason));
  h.set(STAGE_HEADER, info.stage);
  h.set(ORIGINAL_SUBJECT_HEADER, msg.subject);
  h.set(ORIGINAL_SEQUENCE_HEADER, String(msg.seq));
  h.set(DELIVERY_COUNT_HEADER, String(msg.info.deliveryCount));
  if (info.tenantId) h.set(TENANT_HEADER, headerValue(info.tenantId));
  await bus.js.publish(bus.subjects.deadLetter(info.stage), msg.data, {
    msgID: `dlq:${info.stage}:${msg.seq}`,
    headers: h,
  });
  msg.term();
}
