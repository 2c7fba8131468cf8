/**
 * The two filings that are not "a customer wrote": a bounce (RFC 3464 DSN)
 * of a message we sent, linked to that message (bounce_received_at, the
 * suppression list) and filed as the mailbox says; and a duplicate, for
 * which nothing is written but the first filing's outcome is read back so
 * its events can be published again.
 */
import {
  findAutoResponseFor,
  findOutboundByHeader,
  getTicket,
  markBounceReceived,
  outboundRequest,
  setTicketStatus,
  type KindAction,
  type MessageRow,
  type Queryable,
} from '@postroom/db';
import type { Filed } from './file-mail';
import { insertInbound } from './insert-inbound';
import { normalizeMessageId, type InboundMail } from './inbound-mail';
import { suppressBounced } from './suppress-bounced';

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

export interface BounceFiling {
  /** The mailbox's `classification.bounce`. */
  action: KindAction;
  now: Date;
  /** How long a permanently failed recipient stays suppressed. */
  suppressForMs: number;
}

/**
 * Files a bounce. One that reports on our outbound message marks it bounced
 * and suppresses its permanently failed recipients whatever the action;
 * then `attach` puts it on that message's ticket, `ticket` does so and
 * reopens the ticket, `store` keeps it off tickets. An unlinked bounce is
 * stored, except under `ticket`, where undefined tells the caller to file it
 * as a conversation (a new ticket).
 */
export async function fileBounce(q: Queryable, mail: InboundMail, f: BounceFiling): Promise<Filed | undefined> {
  const bounced = await findBouncedOutbound(q, mail);
  if (!bounced?.ticketId) {
    if (f.action === 'ticket') return undefined;
    return { message: await insertInbound(q, mail, undefined), created: false, duplicate: false };
  }
  await markBounceReceived(q, mail.tenantId, bounced.id, mail.receivedAt);
  const suppressed = await suppressBounced(q, { tenantId: mail.tenantId, report: mail.bounce, outbound: bounced, now: f.now, expiryMs: f.suppressForMs });
  const link = { ticketId: bounced.ticketId, matchedBy: 'BOUNCE' as const, detail: `bounce of our message <${bounced.messageIdHeader}>` };
  const message = await insertInbound(q, mail, f.action === 'store' ? undefined : link);
  const ticket = await getTicket(q, mail.tenantId, bounced.ticketId);
  const reopen = f.action === 'ticket' && ticket !== undefined && ticket.status !== 'open';
  const reopenedFrom = reopen ? await setTicketStatus(q, mail.tenantId, ticket.id, 'open') : undefined;
  return { message, ticket, created: false, bounced, suppressed, reopenedFrom, duplicate: false };
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
  if (existing.direction !== 'inbound') return base;
  // A stored bounce is on no ticket but still reported on our message's ticket.
  const bounced = existing.kind === 'bounce' ? await findBouncedOutbound(q, mail) : undefined;
  const ticketId = existing.ticketId ?? bounced?.ticketId;
  if (!ticketId) return base;
  const ticket = await getTicket(q, mail.tenantId, ticketId);
  const created = existing.matchedBy === 'NEW_TICKET';
  const auto = created
    ? await findAutoResponseFor(q, mail.tenantId, { ticketId, messageIdHeader: existing.messageIdHeader })
    : undefined;
  return { ...base, ticket, created, bounced, autoResponse: auto ? outboundRequest(auto) : undefined };
}
