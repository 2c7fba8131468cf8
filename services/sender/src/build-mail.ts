/**
 * Builds the outgoing email from an outbound message row and its mailbox:
 * From the mailbox (with its display name), To/Cc from the row, the row's
 * fixed Message-ID, and In-Reply-To/References so the customer's client
 * threads the reply (RFC 5322 §3.6.4). Automatic mail carries
 * `Auto-Submitted: auto-replied` (RFC 3834 §5) and Microsoft's
 * `X-Auto-Response-Suppress: All` so other responders stay quiet.
 *
 * Header injection: a CR or LF in any value that becomes a header (subject,
 * names, addresses, ids, filenames) would let the text after it start a new
 * header or the body. nodemailer encodes most of them, but we refuse such a
 * message outright rather than trust every encoder path.
 */
import type { AddressJson, MessageRow } from '@postroom/db';
import { TerminalError } from '@postroom/errors';
import type { MailAddress, OutgoingMail } from './ports';

const CRLF = /[\r\n]/;
/** An addr-spec with no room for header syntax: one @, no spaces, brackets, quotes, commas or semicolons. */
const ADDRESS = /^[^\s<>()",;:@\\]+@[^\s<>()",;:@\\]+$/;

function checkValue(what: string, value: string): string {
  if (CRLF.test(value)) throw new TerminalError('HEADER_INJECTION', `${what} contains CR/LF`);
  return value;
}

function checkAddress(what: string, a: AddressJson | MailAddress): MailAddress {
  const address = checkValue(`${what} address`, a.address.trim());
  if (!ADDRESS.test(address)) throw new TerminalError('INVALID_ADDRESS', `${what} address ${JSON.stringify(address)} is not an addr-spec`);
  return { name: checkValue(`${what} name`, a.name ?? ''), address };
}

const bracket = (id: string): string => `<${checkValue('Message-ID', id)}>`;

export interface BuildMailInput {
  message: MessageRow;
  mailbox: { address: string; displayName: string | null };
  attachments: Array<{ filename: string; contentType: string; content: Buffer; contentId: string | null }>;
}

/** The email to send for an outbound row; TerminalError on header injection or invalid addresses. */
export function buildMail({ message: m, mailbox, attachments }: BuildMailInput): OutgoingMail {
  const to = m.to.map((a) => checkAddress('To', a));
  const cc = m.cc.map((a) => checkAddress('Cc', a));
  // RFC 5322 §3.6.3 makes To optional: Cc alone is enough (e.g. when the To recipient is suppressed).
  if (to.length + cc.length === 0) throw new TerminalError('NO_RECIPIENTS', `outbound message ${m.id} has no To or Cc address`);
  const headers: Record<string, string> = m.automatic
    ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }
    : {};
  return {
    from: checkAddress('From', { name: mailbox.displayName ?? '', address: mailbox.address }),
    to,
    cc,
    subject: checkValue('Subject', m.subject ?? ''),
    text: m.textBody ?? '',
    ...(m.htmlBody ? { html: m.htmlBody } : {}),
    messageId: bracket(m.messageIdHeader),
    ...(m.inReplyTo.length > 0 ? { inReplyTo: bracket(m.inReplyTo[m.inReplyTo.length - 1]) } : {}),
    references: m.references.map(bracket),
    headers,
    attachments: attachments.map((a) => ({
      filename: checkValue('attachment filename', a.filename),
      contentType: checkValue('attachment content type', a.contentType),
      content: a.content,
      ...(a.contentId ? { cid: checkValue('Content-ID', a.contentId) } : {}),
    })),
  };
}
