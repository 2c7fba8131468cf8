/**
 * The events a filing produces, built from the committed rows (or, for a
 * duplicate, from the rows the first filing committed), each with a msgId
 * derived from a row id so a republish is dropped by JetStream's duplicate
 * window and recognised by subscribers after it.
 */
import {
  BounceRecordedSchema,
  Direction,
  MatchedBy,
  TicketCreatedSchema,
  TicketMessageAddedSchema,
  TicketStatus,
  TicketRefSchema,
  TicketUpdatedSchema,
  create,
  type Subjects,
  type TicketRef,
} from '@postroom/contracts';
import type { Emit } from '@postroom/bus';
import { outboundRequestedEmit, type MessageRow, type TicketRow, type TicketStatusName } from '@postroom/db';
import type { Filed } from './file-mail';
import { kindFromName, type InboundMail } from './inbound-mail';

const ticketRef = (t: TicketRow): TicketRef =>
  create(TicketRefSchema, { tenantId: t.tenantId, ticketId: t.id, number: BigInt(t.number) });

const STATUS: Record<TicketStatusName, TicketStatus> = {
  open: TicketStatus.OPEN,
  pending: TicketStatus.PENDING,
  solved: TicketStatus.SOLVED,
  closed: TicketStatus.CLOSED,
};

const matchedBy = (name: string | null): MatchedBy =>
  (MatchedBy as unknown as Record<string, MatchedBy>)[name ?? ''] ?? MatchedBy.UNSPECIFIED;

const ms = (d: Date | null | undefined): bigint => BigInt((d ?? new Date(0)).getTime());

function messageAdded(s: Subjects, t: TicketRow, m: MessageRow, mail: InboundMail): Emit {
  return {
    subject: s.ticketMessageAdded,
    schema: TicketMessageAddedSchema,
    msgId: `message-added:${m.id}`,
    event: create(TicketMessageAddedSchema, {
      ticket: ticketRef(t),
      messageId: m.id,
      mailId: m.mailId ?? '',
      direction: Direction.INBOUND,
      messageIdHeader: m.messageIdHeader,
      matchedBy: matchedBy(m.matchedBy),
      kind: kindFromName(m.kind),
      from: { name: m.fromName ?? '', address: m.fromAddress ?? '' },
      subject: m.subject ?? '',
      attachments: mail.attachments,
      createdAtMs: ms(m.createdAt),
      mailboxId: m.mailboxId,
    }),
  };
}

/**
 * The filed message handed to the stages that have work on it, and only to
 * those (internal `work.v1.*` subjects, the message_added payload): the
 * attachment stage when it has attachments, mailbox-actions when its mailbox
 * names an afterFiled action. Neither is woken for the other emails.
 */
function handOffs(s: Subjects, added: Emit, mail: InboundMail, messageId: string, afterFiled: boolean): Emit[] {
  const out: Emit[] = [];
  if (mail.attachments.length > 0) out.push({ ...added, subject: s.workRecordAttachments, msgId: `record-attachments:${messageId}` });
  if (afterFiled) out.push({ ...added, subject: s.workApplyAfterFiled, msgId: `apply-after-filed:${messageId}` });
  return out;
}

function ticketCreated(s: Subjects, t: TicketRow): Emit {
  return {
    subject: s.ticketCreated,
    schema: TicketCreatedSchema,
    msgId: `ticket-created:${t.id}`,
    event: create(TicketCreatedSchema, {
      ticket: ticketRef(t),
      mailboxId: t.mailboxId ?? '',
      subject: t.subject,
      requester: { name: t.requesterName ?? '', address: t.requesterAddress ?? '' },
      createdAtMs: ms(t.createdAt),
    }),
  };
}

function ticketReopened(s: Subjects, t: TicketRow, m: MessageRow, previous: TicketStatusName): Emit {
  return {
    subject: s.ticketUpdated,
    schema: TicketUpdatedSchema,
    msgId: `ticket-updated:${m.id}`,
    event: create(TicketUpdatedSchema, {
      ticket: ticketRef(t),
      status: TicketStatus.OPEN,
      previousStatus: STATUS[previous] ?? TicketStatus.UNSPECIFIED,
      reason: m.kind === 'normal' ? `customer replied (message ${m.id})` : `${m.kind} filed on the ticket (message ${m.id})`,
      updatedAtMs: ms(m.createdAt),
    }),
  };
}

function bounceRecorded(s: Subjects, t: TicketRow, bounce: MessageRow, outbound: MessageRow, mail: InboundMail): Emit {
  return {
    subject: s.ticketBounceRecorded,
    schema: BounceRecordedSchema,
    msgId: `bounce-recorded:${bounce.id}`,
    event: create(BounceRecordedSchema, {
      ticket: ticketRef(t),
      messageId: outbound.id,
      report: mail.bounce,
      receivedAtMs: ms(bounce.receivedAt ?? bounce.createdAt),
    }),
  };
}

/** Whether the filing put an inbound message on a ticket (what message_added and the hand-offs report). */
export const filedOnTicket = (f: Filed): boolean =>
  !!f.ticket && f.message.direction === 'inbound' && f.message.ticketId === f.ticket.id;

/**
 * Every event of one filing, in the order subscribers expect (created before
 * message added), with the hand-offs to the attachment and mailbox-actions
 * stages; `afterFiled`: the message's mailbox names an afterFiled action.
 */
export function buildEmits(s: Subjects, mail: InboundMail, f: Filed, afterFiled = false): Emit[] {
  const out: Emit[] = [];
  if (!f.ticket || f.message.direction !== 'inbound') return out;
  if (f.created) out.push(ticketCreated(s, f.ticket));
  // A bounce stored off the ticket (classification.bounce = store) still reports on our message's ticket.
  if (filedOnTicket(f)) {
    const added = messageAdded(s, f.ticket, f.message, mail);
    out.push(added, ...handOffs(s, added, mail, f.message.id, afterFiled));
  }
  if (f.reopenedFrom) out.push(ticketReopened(s, f.ticket, f.message, f.reopenedFrom));
  if (f.bounced) out.push(bounceRecorded(s, f.ticket, f.message, f.bounced, mail));
  if (f.autoResponse) out.push(outboundRequestedEmit(f.autoResponse, s));
  return out;
}
