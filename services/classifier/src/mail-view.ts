/**
 * Read-only helpers over a MailParsed for the rules: header lookups, report
 * parts, the sender, and the Message-ID of the mail a report is about.
 */
import type { MailParsed } from '@postroom/contracts';
import { firstHeader, headerValues, normalizeMessageId, parseHeaderBlock, type HeaderField } from '@postroom/mail';

export const headers = (msg: MailParsed): readonly HeaderField[] => msg.headers;

export const header = (msg: MailParsed, name: string): string | undefined => firstHeader(msg.headers, name);

export const allHeaders = (msg: MailParsed, name: string): string[] => headerValues(msg.headers, name);

/** The mail's report parts of the given content types (lower-case), in order. */
export function reportParts(msg: MailParsed, ...types: string[]): string[] {
  return msg.reportParts.filter((p) => types.includes(p.contentType.toLowerCase())).map((p) => p.text);
}

/** The `report-type` parameter of a top-level multipart/report (RFC 6522 §3), '' otherwise. */
export function reportType(msg: MailParsed): string {
  if (!/^multipart\/report\b/i.test(msg.contentType)) return '';
  const m = /;\s*report-type\s*=\s*"?([\w.-]+)"?/i.exec(msg.contentType);
  return m ? m[1].toLowerCase() : '';
}

/** RFC 5321 §4.5.5: the null reverse-path `<>`, used by DSNs, MDNs and (RFC 3834 §3.3) auto-replies. */
export const hasNullSender = (msg: MailParsed): boolean => msg.hasReturnPath && msg.returnPath === '';

export const fromAddress = (msg: MailParsed): string => (msg.from?.address ?? '').toLowerCase();

export const recipientAddresses = (msg: MailParsed): string[] =>
  [...msg.to, ...msg.cc].map((a) => a.address.toLowerCase()).concat(allHeaders(msg, 'delivered-to').map((v) => v.trim().toLowerCase()));

/**
 * Headers a mailing list adds when it redistributes a post: RFC 2369 and
 * RFC 2919 fields, ezmlm's Mailing-List, vger/SmartList's X-Mailing-List,
 * Mailman's X-BeenThere, Ecartis's X-List. A list's Precedence: bulk and X-Loop describe the
 * list, not the person who wrote the post.
 */
const LIST_HEADERS = [
  'list-id', 'list-post', 'list-unsubscribe', 'list-subscribe', 'list-help', 'list-archive', 'list-owner',
  'mailing-list', 'x-mailing-list', 'x-beenthere', 'x-list',
];

const ADDRESS_IN_HEADER = /[^\s<>,;:"]+@[^\s<>,;"?]+/g;

/**
 * Majordomo and LISTSERV name no list in a header of its own, but send as
 * `Sender: owner-<list>@host` (Ecartis and Mailman as `<list>-bounce(s)`,
 * others `<list>-owner`, `-request`, `-admin`): the list is `<list>@host`.
 */
function listOfSender(msg: MailParsed): string[] {
  const sender = (header(msg, 'sender') ?? '').match(ADDRESS_IN_HEADER)?.[0]?.toLowerCase() ?? '';
  const m = /^(?:owner-([^@]+)|([^@]+)-(?:owner|request|admin|bounces?))@(.+)$/.exec(sender);
  return m ? [`${m[1] ?? m[2]}@${m[3]}`] : [];
}

/** The list's own addresses, as its headers name them (List-Post mailto, X-BeenThere, X-Mailing-List, a list Sender). */
export function listAddresses(msg: MailParsed): Set<string> {
  const values = ['list-post', 'x-beenthere', 'x-mailing-list', 'mailing-list'].flatMap((n) => allHeaders(msg, n));
  return new Set([...values.flatMap((v) => v.match(ADDRESS_IN_HEADER) ?? []).map((a) => a.toLowerCase()), ...listOfSender(msg)]);
}

export const isListMail = (msg: MailParsed): boolean => msg.headers.some((h) => LIST_HEADERS.includes(h.name)) || listOfSender(msg).length > 0;

const EMBEDDED_HEADER_PARTS = ['text/rfc822-headers', 'message/rfc822', 'message/global', 'message/global-headers'];

/** A `Message-ID:` header line in free text (a returned message quoted in a bounce body). */
const QUOTED_MESSAGE_ID = /^\s*>?\s*message-id:\s*(<[^>\s]+>|\S+@\S+)/im;

/**
 * The Message-ID of the mail a report is about: from the embedded header
 * block (RFC 3464 §2 and RFC 6522 §4 put it there), else from a returned
 * message quoted in the body text (qmail, older Exim and Exchange do that).
 */
export function originalMessageId(msg: MailParsed, text = ''): string {
  for (const block of reportParts(msg, ...EMBEDDED_HEADER_PARTS)) {
    const id = normalizeMessageId(firstHeader(parseHeaderBlock(block), 'message-id'));
    if (id) return id;
  }
  const quoted = QUOTED_MESSAGE_ID.exec(text);
  return quoted ? (normalizeMessageId(quoted[1]) ?? '') : '';
}
