/**
 * Outbound messages: agent replies and auto-responses are message rows with
 * direction 'outbound' and a send_status state machine
 * (pending → sending → sent | failed | unknown). The row and its thread key
 * are written in one transaction, and the caller publishes the returned
 * OutboundRequested after the commit, so the sender never sees a request for
 * a row that does not exist. The Message-ID is fixed here, before sending, so
 * a customer's reply threads back even if it outruns our status update.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { create, OutboundRequestedSchema, type OutboundRequested, type Subjects } from '@postroom/contracts';
import { insertMessage, listTicketMessages, queryRows, type AddressJson, type MessageRow, type Queryable } from './messages';
import { upsertAttachments } from './attachments';
import { getTicketByNumber, insertThreadKeys, listOwnAddresses, listParticipants, type TicketRow } from './tickets';

/** Ticket tag format; `{number}` is replaced by the ticket number. */
export const DEFAULT_TICKET_TAG = '[#{number}]';

/** The tag that names a ticket in a subject, e.g. `[#42]`. */
export const ticketTag = (number: number, format = DEFAULT_TICKET_TAG): string =>
  format.replace('{number}', String(number));

/** A global RegExp matching the tag format; group 1 is the number. */
export function ticketTagPattern(format = DEFAULT_TICKET_TAG): RegExp {
  const [before, after] = format.split('{number}').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`${before}(\\d{1,15})${after ?? ''}`, 'g');
}

/** Ticket numbers tagged in a subject, in order of appearance. */
export const findTicketTags = (subject: string, format = DEFAULT_TICKET_TAG): number[] =>
  [...subject.matchAll(ticketTagPattern(format))].map((m) => Number(m[1]));

/** What the caller publishes (after commit) on outbound.v1.requested. */
export interface OutboundRequest {
  event: OutboundRequested;
  /** `outbound-requested:<messageRowId>` */
  msgId: string;
  message: MessageRow;
}

export const outboundRequest = (m: MessageRow): OutboundRequest => ({
  event: create(OutboundRequestedSchema, {
    tenantId: m.tenantId,
    messageId: m.id,
    ticketId: m.ticketId ?? '',
    mailboxId: m.mailboxId,
    automatic: m.automatic,
  }),
  msgId: `outbound-requested:${m.id}`,
  message: m,
});

/** The event to publish for a pending outbound message, on the subjects of the caller's namespace. */
export const outboundRequestedEmit = (request: OutboundRequest, subjects: Pick<Subjects, 'outboundRequested'>) => ({
  subject: subjects.outboundRequested,
  schema: OutboundRequestedSchema,
  event: request.event,
  msgId: request.msgId,
});

export interface MailboxIdentity {
  id: string;
  address: string;
  displayName: string | null;
}

export async function getMailboxIdentity(q: Queryable, tenantId: string, id: string): Promise<MailboxIdentity | undefined> {
  const rows = await queryRows<MailboxIdentity>(
    q,
    `SELECT id, address, display_name AS "displayName" FROM mailboxes WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

export interface NewOutbound {
  tenantId: string;
  ticketId: string;
  mailbox: MailboxIdentity;
  to: AddressJson[];
  cc: AddressJson[];
  subject: string;
  text: string;
  html: string | null;
  inReplyTo: string[];
  references: string[];
  automatic: boolean;
}

/** Inserts a pending outbound message and its thread key (inside the caller's transaction). */
export async function insertOutboundMessage(q: Queryable, o: NewOutbound): Promise<OutboundRequest> {
  const domain = o.mailbox.address.split('@').pop() || 'postroom.invalid';
  const message = await insertMessage(q, {
    tenantId: o.tenantId, id: randomUUID(), ticketId: o.ticketId, mailboxId: o.mailbox.id, mailId: null,
    direction: 'outbound', messageIdHeader: `${randomUUID()}@${domain}`, inReplyTo: o.inReplyTo,
    references: o.references, fromAddress: o.mailbox.address, fromName: o.mailbox.displayName, to: o.to, cc: o.cc,
    replyTo: [], subject: o.subject, textBody: o.text, htmlBody: o.html, kind: 'normal', verdict: null,
    matchedBy: 'AGENT_REPLY', sendStatus: 'pending', automatic: o.automatic,
  });
  await insertThreadKeys(q, o.tenantId, o.ticketId, [message.messageIdHeader]);
  return outboundRequest(message);
}

/** RFC 5322 §3.6.4 lets References be trimmed; keep the root and the newest ids. */
const MAX_REFERENCES = 20;

/** Threading headers for a reply on a ticket: In-Reply-To the latest inbound mail, References the thread. */
export function replyThreading(messages: MessageRow[]): { inReplyTo: string[]; references: string[] } {
  const thread = messages.filter((m) => m.kind === 'normal').map((m) => m.messageIdHeader);
  const latestInbound = [...messages].reverse().find((m) => m.direction === 'inbound' && m.kind === 'normal');
  const references = thread.length > MAX_REFERENCES ? [thread[0], ...thread.slice(1 - MAX_REFERENCES)] : thread;
  return { inReplyTo: latestInbound ? [latestInbound.messageIdHeader] : [], references };
}

/** `Re: <subject> [#N]`, without stacking prefixes or tags. */
export function replySubject(ticket: Pick<TicketRow, 'subject' | 'number'>, tagFormat = DEFAULT_TICKET_TAG): string {
  const tag = ticketTag(ticket.number, tagFormat);
  const base = ticket.subject.includes(tag) ? ticket.subject : `${ticket.subject} ${tag}`.trim();
  return /^re:/i.test(base) ? base : `Re: ${base}`;
}

export interface AgentReplyInput {
  tenantId: string;
  ticketNumber: number;
  text: string;
  html?: string;
  cc?: string[];
  tagFormat?: string;
  /** Files already in the blob store (e.g. uploaded by the agent), attached in this order. */
  attachments?: Array<{ filename: string; contentType: string; blobKey: string; sha256: string; size: number }>;
}

/**
 * Creates an agent reply on a ticket as a pending outbound message. Returns
 * the OutboundRequested to publish after this resolves (the row is committed).
 */
export async function createAgentReply(ds: DataSource, input: AgentReplyInput): Promise<OutboundRequest> {
  return ds.transaction(async (m) => {
    const ticket = await getTicketByNumber(m, input.tenantId, input.ticketNumber);
    if (!ticket) throw new Error(`ticket #${input.ticketNumber} not found in tenant ${input.tenantId}`);
    const mailbox = ticket.mailboxId ? await getMailboxIdentity(m, input.tenantId, ticket.mailboxId) : undefined;
    if (!mailbox) throw new Error(`mailbox ${ticket.mailboxId} of ticket #${ticket.number} not found`);
    const own = new Set(await listOwnAddresses(m, input.tenantId));
    const requester = (ticket.requesterAddress ?? '').toLowerCase();
    const ccAddresses = [...(await listParticipants(m, input.tenantId, ticket.id)), ...(input.cc ?? [])]
      .map((a) => a.trim().toLowerCase())
      .filter((a, i, all) => a !== requester && !own.has(a) && a.includes('@') && all.indexOf(a) === i);
    const request = await insertOutboundMessage(m, {
      tenantId: input.tenantId, ticketId: ticket.id, mailbox,
      to: requester ? [{ name: ticket.requesterName ?? '', address: requester }] : [],
      cc: ccAddresses.map((address) => ({ name: '', address })),
      subject: replySubject(ticket, input.tagFormat), text: input.text, html: input.html ?? null,
      automatic: false, ...replyThreading(await listTicketMessages(m, input.tenantId, ticket.id)),
    });
    const files = (input.attachments ?? []).map((a, idx) => ({ ...a, idx, contentId: null, inline: false, blockedReason: null }));
    await upsertAttachments(m, input.tenantId, request.message.id, files);
    return request;
  });
}
