/**
 * The two filings that are not "a customer wrote": a bounce (RFC 3464 DSN)
 * of a message we sent, linked to that message and its ticket; and a
 * duplicate, for which nothing is written but the first filing's outcome is
 * read back so its events can be published again.
 */
import {
  findAutoResponseFor,
  findOutboundByHeader,
  getTicket,
  markBounceReceived,
  outboundRequest,
  type MessageRow,
  type Queryable,
} from '@postroom/db';
import type { Filed } from './file-mail';
import { insertInbound } from './insert-inbound';
import { normalizeMessageId, type InboundMail } from './inbound-mail';

/**
 * Our outbound message a bounce reports on: the DSN's original Message-ID
 * (RFC 3464 §2.2 via the returned headers), else any id it replies to or
 * references (some MTAs thread their DSNs).
 */
export async function findBouncedOutbound(q: Queryable, mail: InboundMail): Promise<MessageRow | undefined> {
  const original = normalizeMessageId(mail.bounce?.originalMessageId ?? '');
  const candidates = [original, ...mail.inReplyTo, ...[...mail.references].reverse()].filter((id) => id !== '');
  for (const id of new Set(candidates)) {
    const outbound = await findOutboundByHeader(q, mail.tenantId, id);
    if (outbound) return outbound;
  }
  return undefined;
}

/** Stores a bounce; when it reports on our outbound message, marks that message and files the bounce on its ticket. */
export async function fileBounce(q: Queryable, mail: InboundMail): Promise<Filed> {
  const bounced = await findBouncedOutbound(q, mail);
  if (!bounced?.ticketId) {
    return { message: await insertInbound(q, mail, undefined), created: false, duplicate: false };
  }
  await markBounceReceived(q, mail.tenantId, bounced.id, mail.receivedAt);
  const message = await insertInbound(q, mail, {
    ticketId: bounced.ticketId,
    matchedBy: 'BOUNCE',
    detail: `bounce of our message <${bounced.messageIdHeader}>`,
  });
  const ticket = await getTicket(q, mail.tenantId, bounced.ticketId);
  return { message, ticket, created: false, bounced, duplicate: false };
}

/**
 * A duplicate: reads back what filing it produced (its ticket, whether it
 * opened it, the bounce it recorded, the auto-response it triggered). Our
 * own outbound message seen again in a mailbox (a Bcc to ourselves, Gmail's
 * "All Mail") is a duplicate with nothing to publish. A reopen is not
 * re-derived: the row does not record it.
 */
export async function refile(q: Queryable, existing: MessageRow, mail: InboundMail): Promise<Filed> {
  const base: Filed = { message: existing, created: false, duplicate: true };
  if (existing.direction !== 'inbound' || !existing.ticketId) return base;
  const ticket = await getTicket(q, mail.tenantId, existing.ticketId);
  const created = existing.matchedBy === 'NEW_TICKET';
  const bounced = existing.matchedBy === 'BOUNCE' ? await findBouncedOutbound(q, mail) : undefined;
  const auto = created
    ? await findAutoResponseFor(q, mail.tenantId, { ticketId: existing.ticketId, messageIdHeader: existing.messageIdHeader })
    : undefined;
  return { ...base, ticket, created, bounced, autoResponse: auto ? outboundRequest(auto) : undefined };
}
