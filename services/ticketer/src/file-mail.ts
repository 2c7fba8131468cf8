/**
 * Files one classified email in one transaction: lock its Message-IDs, drop
 * it if it is a duplicate (returning what the first filing produced, so a
 * crash between commit and publish heals on redelivery), then store it as a
 * message row on the right ticket, a new ticket, or no ticket (spam, lists,
 * unmatched bounces). Events are built from the result by the caller and
 * published only after this transaction commits.
 */
import { randomUUID } from 'node:crypto';
import {
  findDuplicateMessage,
  insertNextTicket,
  insertThreadKeys,
  lockKeys,
  recordThread,
  setTicketStatus,
  ticketTagPattern,
  type MessageRow,
  type OutboundRequest,
  type Queryable,
  type TicketRow,
  type TicketStatusName,
} from '@postroom/db';
import { autoRespond } from './auto-response';
import { fileBounce, refile } from './file-special';
import { filingOf, isPersonMail, type InboundMail } from './inbound-mail';
import { insertInbound } from './insert-inbound';
import { uncachedSettings, type MailboxSettingsReader } from './mailbox-settings';
import type { TicketerPolicy } from './ports';
import { ticketSubject } from './subject-tag';
import { threadKeysOf } from './thread-keys';
import { matchByKeys, matchThread } from './thread-match';

export interface Filed {
  message: MessageRow;
  ticket?: TicketRow;
  /** This email opened the ticket. */
  created: boolean;
  /** The ticket's status before this email reopened it. */
  reopenedFrom?: TicketStatusName;
  /** Our outbound message this email reports as bounced. */
  bounced?: MessageRow;
  /** Addresses this bounce put on the suppression list. */
  suppressed?: string[];
  /** Mailbox classification settings that were ignored (invalid), for the log. */
  settingsProblems?: string[];
  autoResponse?: OutboundRequest;
  autoResponseSkipped?: string;
  /** The email was filed before; nothing was written. */
  duplicate: boolean;
}

/** Files `mail`; must run inside a transaction. */
export async function fileMail(
  q: Queryable,
  mail: InboundMail,
  policy: TicketerPolicy,
  now: Date,
  settings: MailboxSettingsReader = uncachedSettings,
): Promise<Filed> {
  await lockKeys(q, mail.tenantId, threadKeysOf(mail));
  const existing = await findDuplicateMessage(q, {
    tenantId: mail.tenantId,
    mailboxId: policy.dedupeScope === 'mailbox' ? mail.mailboxId : null,
    messageIdHeader: mail.messageId,
    mailId: mail.mailId,
  });
  if (existing) return refile(q, existing, mail);
  const classification = isPersonMail(mail.kind) ? undefined : await settings.classification(q, mail.tenantId, mail.mailboxId);
  const filed = await fileByKind(q, mail, { policy, now, settings, actions: classification?.actions });
  return classification?.problems.length ? { ...filed, settingsProblems: classification.problems } : filed;
}

interface FilingContext {
  policy: TicketerPolicy;
  now: Date;
  settings: MailboxSettingsReader;
  actions: Parameters<typeof filingOf>[1];
}

async function fileByKind(q: Queryable, mail: InboundMail, x: FilingContext): Promise<Filed> {
  switch (filingOf(mail.kind, x.actions)) {
    case 'ticket':
      return fileConversation(q, mail, x);
    case 'bounce': {
      const action = x.actions?.bounce ?? 'attach';
      const filed = await fileBounce(q, mail, { action, now: x.now, suppressForMs: x.policy.suppression.expiryMs });
      return filed ?? fileConversation(q, mail, x);
    }
    case 'follow': {
      const match = await matchByKeys(q, mail);
      const message = await insertInbound(q, mail, match?.ticket ? { ...match, ticketId: match.ticket.id } : undefined);
      if (match?.ticket) await insertThreadKeys(q, mail.tenantId, match.ticket.id, threadKeysOf(mail));
      return { message, ticket: match?.ticket, created: false, duplicate: false };
    }
    default:
      return { message: await insertInbound(q, mail, undefined), created: false, duplicate: false };
  }
}

/**
 * A conversation: joins the ticket it threads into (reopening it), or opens
 * one. Opening takes the tenant's row lock (the ticket number) until commit,
 * so nothing but the inserts of this email, and its auto-response, follow it.
 */
async function fileConversation(q: Queryable, mail: InboundMail, x: FilingContext): Promise<Filed> {
  const match = await matchThread(q, mail, x.policy.tagFormat);
  if (match.ticket) {
    const message = await insertInbound(q, mail, { ...match, ticketId: match.ticket.id });
    await recordThread(q, mail.tenantId, match.ticket.id, { keys: threadKeysOf(mail), people: peopleOf(mail) });
    const reopenedFrom = match.ticket.status === 'open' ? undefined : await setTicketStatus(q, mail.tenantId, match.ticket.id, 'open');
    return { message, ticket: match.ticket, created: false, reopenedFrom, duplicate: false };
  }
  const ticket = await openTicket(q, mail, x.policy);
  const message = await insertInbound(q, mail, { ticketId: ticket.id, matchedBy: 'NEW_TICKET', detail: match.detail });
  await recordThread(q, mail.tenantId, ticket.id, { keys: threadKeysOf(mail), people: peopleOf(mail) });
  const auto = await autoRespond(q, { mail, ticket, policy: x.policy, now: x.now, settings: x.settings });
  return { message, ticket, created: true, autoResponse: auto.request, autoResponseSkipped: auto.skipped, duplicate: false };
}

async function openTicket(q: Queryable, mail: InboundMail, policy: TicketerPolicy): Promise<TicketRow> {
  const requester = mail.replyTo[0] ?? mail.from;
  return insertNextTicket(q, {
    tenantId: mail.tenantId,
    id: randomUUID(),
    mailboxId: mail.mailboxId,
    subject: ticketSubject(mail.subject, ticketTagPattern(policy.tagFormat)),
    requesterAddress: requester?.address ?? null,
    requesterName: requester?.name || null,
  });
}

/** Everyone the email names: the ticket's participants, except our own addresses (recordThread leaves those out). */
const peopleOf = (mail: InboundMail): string[] =>
  [mail.from, ...mail.replyTo, ...mail.to, ...mail.cc].filter((a) => a !== null).map((a) => a.address);
