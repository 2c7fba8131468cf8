/**
 * The acknowledgement a mailbox may send when a new ticket opens. Auto-replies
 * answering auto-replies are the classic mail loop (peers saw two
 * autoresponders queue 5,000+ mails), so it is never sent to automated mail
 * (RFC 3834 §2: not to Auto-Submitted mail, lists, Precedence bulk/junk/list,
 * the null sender), to our own addresses, imported backlog or a suppressed
 * (hard-bounced) address; and caps bound what gets through anyway, e.g. an
 * autoresponder that strips every header: per recipient over several windows
 * (3 an hour and 10 a day by default) and per ticket (1, ever).
 */
import {
  countAutoResponses,
  countTicketAutoResponses,
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
  if (await isHardBounced(q, mail.tenantId, to.address, input.now)) return { skipped: `${to.address} is suppressed (hard bounce)` };
  const capped = await rateCapped(q, { tenantId: mail.tenantId, address: to.address, ticketId: ticket.id, policy, now: input.now });
  if (capped) return { skipped: capped };
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

/** Which loop cap, if any, this auto-response would break. */
async function rateCapped(
  q: Queryable,
  x: { tenantId: string; address: string; ticketId: string; policy: TicketerPolicy; now: Date },
): Promise<string | undefined> {
  const onTicket = await countTicketAutoResponses(q, x.tenantId, x.ticketId);
  if (onTicket >= x.policy.autoResponse.perTicket) return `rate cap: ticket already has ${onTicket} automatic mail(s)`;
  for (const cap of x.policy.autoResponse.perRecipient) {
    const sent = await countAutoResponses(q, x.tenantId, x.address, new Date(x.now.getTime() - cap.windowMs));
    if (sent >= cap.max) return `rate cap: ${sent} auto-responses to ${x.address} within ${cap.windowMs / 60_000} min (max ${cap.max})`;
  }
  return undefined;
}
