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
  insertMessageOnNewTicket,
  insertMessageOnTicket,
  lockKeys,
  lookUpFiling,
  lookUpFilings,
  type DuplicateKey,
  type FilingLookup,
  setTicketStatus,
  ticketTagPattern,
  type MessageRow,
  type OutboundRequest,
  type Queryable,
  type NewTicketOf,
  type TicketRow,
  type TicketStatusName,
} from '@postroom/db';
import { autoRespond } from './auto-response';
import { fileBounce, refile } from './file-special';
import { filingOf, isPersonMail, type InboundMail } from './inbound-mail';
import { inboundRow, insertInbound } from './insert-inbound';
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

/** What makes `mail` a duplicate: the same pipeline mail id, or its Message-ID in the dedupe scope. */
const duplicateKeyOf = (mail: InboundMail, policy: TicketerPolicy): DuplicateKey => ({
  tenantId: mail.tenantId,
  mailboxId: policy.dedupeScope === 'mailbox' ? mail.mailboxId : null,
  messageIdHeader: mail.messageId,
  mailId: mail.mailId,
});

/** The duplicate check and thread lookup of a batch's emails in one round trip, after the batch's locks. */
export const lookUpBatch = (q: Queryable, mails: InboundMail[], policy: TicketerPolicy): Promise<FilingLookup[]> =>
  lookUpFilings(q, mails.map((mail) => ({ key: duplicateKeyOf(mail, policy), threadKeys: threadKeysOf(mail) })));

/** Filing inside a batch (filing-batch.ts): its locks are held; `lookup`, when given, is this email's answer from lookUpBatch. */
export interface InBatch {
  lookup?: FilingLookup;
}

/** Files `mail`; must run inside a transaction. */
export async function fileMail(
  q: Queryable,
  mail: InboundMail,
  policy: TicketerPolicy,
  now: Date,
  settings: MailboxSettingsReader = uncachedSettings,
  batch?: InBatch,
): Promise<Filed> {
  const keys = threadKeysOf(mail);
  if (!batch) await lockKeys(q, mail.tenantId, keys);
  // The thread keys are looked up with the duplicate check (one round trip), also for mail that will not use them.
  const { duplicate, threads } = batch?.lookup ?? (await lookUpFiling(q, duplicateKeyOf(mail, policy), keys));
  if (duplicate) return refile(q, duplicate, mail);
  const classification = isPersonMail(mail.kind) ? undefined : await settings.classification(q, mail.tenantId, mail.mailboxId);
  const filed = await fileByKind(q, mail, { policy, now, settings, actions: classification?.actions, threads });
  return classification?.problems.length ? { ...filed, settingsProblems: classification.problems } : filed;
}

interface FilingContext {
  policy: TicketerPolicy;
  now: Date;
  settings: MailboxSettingsReader;
  actions: Parameters<typeof filingOf>[1];
  /** The ticket of each of the mail's thread keys that is known, read after the locks. */
  threads: Map<string, string>;
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
      const match = await matchByKeys(q, mail, x.threads);
      if (!match?.ticket) return { message: await insertInbound(q, mail, undefined), created: false, duplicate: false };
      const ticketId = match.ticket.id;
      const message = await insertMessageOnTicket(q, { ...inboundRow(mail, { ...match, ticketId }), ticketId }, { keys: threadKeysOf(mail), people: [] });
      return { message, ticket: match.ticket, created: false, duplicate: false };
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
  const match = await matchThread(q, mail, x.policy.tagFormat, x.threads);
  const thread = { keys: threadKeysOf(mail), people: peopleOf(mail) };
  if (match.ticket) {
    const ticketId = match.ticket.id;
    const message = await insertMessageOnTicket(q, { ...inboundRow(mail, { ...match, ticketId }), ticketId }, thread);
    const reopenedFrom = match.ticket.status === 'open' ? undefined : await setTicketStatus(q, mail.tenantId, match.ticket.id, 'open');
    return { message, ticket: match.ticket, created: false, reopenedFrom, duplicate: false };
  }
  const ticketId = randomUUID();
  const row = { ...inboundRow(mail, { ticketId, matchedBy: 'NEW_TICKET', detail: match.detail }), ticketId };
  const { message, ticket } = await insertMessageOnNewTicket(q, row, newTicketOf(mail, x.policy), thread);
  const auto = await autoRespond(q, { mail, ticket, policy: x.policy, now: x.now, settings: x.settings });
  return { message, ticket, created: true, autoResponse: auto.request, autoResponseSkipped: auto.skipped, duplicate: false };
}

/** The ticket a new conversation opens: its subject without our tags, and who asked. */
function newTicketOf(mail: InboundMail, policy: TicketerPolicy): NewTicketOf {
  const requester = mail.replyTo[0] ?? mail.from;
  return {
    subject: ticketSubject(mail.subject, ticketTagPattern(policy.tagFormat)),
    requesterAddress: requester?.address ?? null,
    requesterName: requester?.name || null,
  };
}

/** Everyone the email names: the ticket's participants, except our own addresses (the insert leaves those out). */
const peopleOf = (mail: InboundMail): string[] =>
  [mail.from, ...mail.replyTo, ...mail.to, ...mail.cc].filter((a) => a !== null).map((a) => a.address);
