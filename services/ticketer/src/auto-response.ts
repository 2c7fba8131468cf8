/**
 * The acknowledgement a mailbox may send when a new ticket opens. Auto-replies
 * answering auto-replies are the classic mail loop, so it is sent at most
 * once per new ticket and never to automated mail (RFC 3834 §2: not to
 * Auto-Submitted mail, lists, Precedence bulk/junk/list, the null sender),
 * never to our own addresses or imported backlog, never to an address that
 * hard-bounced, and at most N times per recipient per window.
 */
import {
  countAutoResponses,
  getAutoResponseContext,
  insertOutboundMessage,
  isHardBounced,
  lockKeys,
  replySubject,
  type OutboundRequest,
  type Queryable,
  type TicketRow,
} from '@postroom/db';
import { MailKind } from '@postroom/contracts';
import type { InboundMail } from './inbound-mail';
import type { TicketerPolicy } from './ports';
import { renderTemplate } from './render-template';

/** Why an email must not get an auto-response, judged from the email alone; undefined when it may. */
export function autoResponseBlocker(mail: InboundMail, ownAddresses: string[]): string | undefined {
  const header = (name: string) => (mail.headers.get(name) ?? []).join(' ').trim().toLowerCase();
  const recipient = mail.replyTo[0]?.address ?? mail.from?.address;
  if (mail.imported) return 'imported mail';
  if (mail.kind !== MailKind.NORMAL && mail.kind !== MailKind.UNSPECIFIED) return `mail kind ${MailKind[mail.kind]}`;
  if (mail.nullSender) return 'null envelope sender (RFC 5321 §4.5.5)';
  if (header('auto-submitted') !== '' && header('auto-submitted') !== 'no') return 'Auto-Submitted (RFC 3834)';
  if (/\b(bulk|list|junk)\b/.test(header('precedence'))) return 'Precedence bulk/list/junk';
  if (header('list-id') !== '' || header('list-unsubscribe') !== '') return 'mailing list (RFC 2919/2369)';
  if (/\b(all|autoreply)\b/.test(header('x-auto-response-suppress'))) return 'X-Auto-Response-Suppress';
  if (!recipient) return 'no sender address';
  if (ownAddresses.includes(recipient)) return `${recipient} is one of our own addresses`;
  return undefined;
}

export interface AutoResponseOutcome {
  request?: OutboundRequest;
  skipped?: string;
}

/**
 * Creates the auto-response for a new ticket inside the filing transaction,
 * or says why not. Runs after the tenant row lock (ticket number), which
 * serialises it with every other auto-response of the tenant, so the
 * per-recipient count cannot be raced.
 */
export async function autoRespond(
  q: Queryable,
  input: { mail: InboundMail; ticket: TicketRow; ownAddresses: string[]; policy: TicketerPolicy; now: Date },
): Promise<AutoResponseOutcome> {
  const { mail, ticket, policy } = input;
  const blocker = autoResponseBlocker(mail, input.ownAddresses);
  if (blocker) return { skipped: blocker };
  const ctx = await getAutoResponseContext(q, mail.tenantId, mail.mailboxId);
  if (!ctx?.settings?.enabled) return { skipped: 'auto-response disabled for this mailbox' };
  const to = (mail.replyTo[0] ?? mail.from)!;
  await lockKeys(q, mail.tenantId, [`auto-response:${to.address}`]);
  if (await isHardBounced(q, mail.tenantId, to.address)) return { skipped: `${to.address} hard-bounced` };
  const since = new Date(input.now.getTime() - policy.autoResponse.windowMs);
  const sent = await countAutoResponses(q, mail.tenantId, to.address, since);
  if (sent >= policy.autoResponse.maxPerRecipient) return { skipped: `rate cap: ${sent} auto-responses to ${to.address}` };
  const vars = {
    ticket_number: String(ticket.number),
    sender_name: to.name || to.address,
    mailbox_name: ctx.mailbox.displayName || ctx.mailbox.name,
    organisation_name: ctx.organisationName,
    subject: ticket.subject,
  };
  const subject = ctx.settings.subject ? renderTemplate(ctx.settings.subject, vars) : replySubject(ticket, policy.tagFormat);
  const request = await insertOutboundMessage(q, {
    tenantId: mail.tenantId, ticketId: ticket.id, mailbox: ctx.mailbox, to: [to], cc: [],
    subject: subject.replace(/[\r\n]+/g, ' '),
    text: renderTemplate(ctx.settings.text, vars),
    html: ctx.settings.html ? renderTemplate(ctx.settings.html, vars, { html: true }) : null,
    inReplyTo: [mail.messageId], references: [...mail.references, mail.messageId], automatic: true,
  });
  return { request };
}
