/**
 * The ticket number tag in a subject (`[#1234]`, format configurable) is the
 * weakest thread signal: anyone can type it. A peer let a stranger's mail that
 * quoted another customer's ticket number land on that ticket, exposing the
 * conversation. So a tag is accepted only from a participant of the ticket or
 * from the requester's own (non-freemail) domain (issue 5).
 */

/** Mail domains shared by unrelated people: a matching domain there proves nothing. */
const SHARED_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'ymail.com',
  'icloud.com', 'me.com', 'mac.com', 'aol.com', 'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 'proton.me',
  'protonmail.com', 'mail.com', 'yandex.ru', 'mail.ru', 'qq.com', '163.com', 'zoho.com', 'fastmail.com',
]);

export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

export interface TagCheck {
  accepted: boolean;
  detail: string;
}

/** Whether `sender` may use the tag of a ticket with these participants and requester. */
export function checkTagSender(
  tag: string,
  sender: string | undefined,
  ticket: { participants: string[]; requesterAddress: string | null },
): TagCheck {
  if (!sender) return { accepted: false, detail: `subject tag ${tag} ignored: no sender address` };
  const from = sender.toLowerCase();
  if (ticket.participants.includes(from) || ticket.requesterAddress?.toLowerCase() === from) {
    return { accepted: true, detail: `subject tag ${tag} from participant ${from}` };
  }
  const domain = domainOf(from);
  const requesterDomain = ticket.requesterAddress ? domainOf(ticket.requesterAddress) : '';
  if (domain === requesterDomain && !SHARED_DOMAINS.has(domain)) {
    return { accepted: true, detail: `subject tag ${tag} from the requester's domain ${domain}` };
  }
  return { accepted: false, detail: `subject tag ${tag} ignored: ${from} is not a participant of that ticket` };
}

/** Reply and forward prefixes in common languages (Outlook localises them). */
const PREFIX = /^\s*((re|fw|fwd|aw|wg|sv|vs|antw|tr|rv|ref|odp|r)\s*(\[\d+\])?\s*:\s*)+/i;

/** A ticket's subject: the mail's subject without reply prefixes and ticket tags. */
export function ticketSubject(subject: string, tagPattern: RegExp): string {
  const cleaned = subject.replace(tagPattern, ' ').replace(PREFIX, '').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? '(no subject)' : cleaned.slice(0, 500);
}
