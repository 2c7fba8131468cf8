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
  getAutoResponseLedger,
  insertOutboundMessage,
  listOwnAddresses,
  lockKeys,
  replySubject,
  type AutoResponseLedger,
  type OutboundRequest,
  type Queryable,
  type TicketRow,
} from '@postroom/db';
import { MailKind } from '@postroom/contracts';
import type { InboundMail } from './inbound-mail';
import type { MailboxSettingsReader } from './mailbox-settings';
import type { TicketerPolicy } from './ports';
import { renderTemplate } from './render-template';

/** Why an email must not get an auto-response, judged from the email alone; undefined when it may. */
export function autoResponseBlocker(mail: InboundMail): string | undefined {
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
  input: { mail: InboundMail; ticket: TicketRow; policy: TicketerPolicy; now: Date; settings: MailboxSettingsReader },
): Promise<AutoResponseOutcome> {
  const { mail, ticket, policy, now } = input;
  // Most mail (imported backlog, automated mail) is ruled out by the email alone, before anything is read.
  const blocker = autoResponseBlocker(mail);
  if (blocker) return { skipped: blocker };
  const to = (mail.replyTo[0] ?? mail.from)!;
  if ((await listOwnAddresses(q, mail.tenantId)).includes(to.address)) return { skipped: `${to.address} is one of our own addresses` };
  const ctx = await input.settings.autoResponse(q, mail.tenantId, mail.mailboxId);
  if (!ctx?.settings?.enabled) return { skipped: 'auto-response disabled for this mailbox' };
  await lockKeys(q, mail.tenantId, [`auto-response:${to.address}`]);
  const since = policy.autoResponse.perRecipient.map((cap) => new Date(now.getTime() - cap.windowMs));
  const ledger = await getAutoResponseLedger(q, mail.tenantId, { address: to.address, ticketId: ticket.id, since, at: now });
  if (ledger.suppressed) return { skipped: `${to.address} is suppressed (hard bounce)` };
  const capped = rateCapped(ledger, to.address, policy);
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
function rateCapped(ledger: AutoResponseLedger, address: string, policy: TicketerPolicy): string | undefined {
  if (ledger.onTicket >= policy.autoResponse.perTicket) return `rate cap: ticket already has ${ledger.onTicket} automatic mail(s)`;
  for (const [i, cap] of policy.autoResponse.perRecipient.entries()) {
    const sent = ledger.sent[i] ?? 0;
    if (sent >= cap.max) return `rate cap: ${sent} auto-responses to ${address} within ${cap.windowMs / 60_000} min (max ${cap.max})`;
  }
  return undefined;
}
