/** Small real contract events for the bus tests. */
import { create, MailFetchedSchema, MailParsedSchema, type MailFetched } from '@postroom/contracts';
import type { Bus } from '../src/connect';
import type { Emit } from '../src/publish';

export function fetched(tenantId: string, mailId: string): MailFetched {
  return create(MailFetchedSchema, {
    mail: { tenantId, mailboxId: 'box-1', mailId },
    raw: { key: `${tenantId}/raw/abc`, size: 42n, sha256: 'abc' },
  });
}

export function fetchedEmit(bus: Bus, tenantId: string, mailId: string): Emit {
  return { subject: bus.subjects.mailFetched, schema: MailFetchedSchema, event: fetched(tenantId, mailId), msgId: `fetched:${mailId}` };
}

export function parsedEmit(bus: Bus, e: MailFetched): Emit {
  const event = create(MailParsedSchema, { mail: e.mail });
  return { subject: bus.subjects.mailParsed, schema: MailParsedSchema, event, msgId: `parsed:${e.mail?.mailId}` };
}

/** The stage consumer's counters, to prove a message was acked (or termed) and nothing is pending. */
export async function consumerState(bus: Bus, stage: string, stream = 'MAIL' as const) {
  const info = await bus.jsm.consumers.info(bus.subjects.stream(stream), stage);
  return { pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered, delivered: info.delivered.stream_seq };
}
