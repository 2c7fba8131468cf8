/**
 * Sorts the non-body MIME parts mailparser returns into real attachments
 * and the machine-readable parts of RFC 6522 reports. mailparser hands
 * message/delivery-status (with keepDeliveryStatus), text/rfc822-headers and
 * message/rfc822 (with ignoreEmbedded) over as attachments.
 */
import { createHash } from 'node:crypto';
import type { Attachment } from 'mailparser';
import type { ParsedAttachment, ReportPartText } from './parsed-mail';

/** Report parts that are read, not shown: they never become attachments. */
const REPORT_ONLY = new Set([
  'message/delivery-status',
  'message/global-delivery-status', // RFC 6533
  'message/disposition-notification',
  'message/global-disposition-notification', // RFC 6533
  'message/feedback-report', // RFC 5965
  'text/rfc822-headers', // RFC 6522 §4
  'message/global-headers', // RFC 6533
]);

/** Embedded messages: kept as attachments, and their header block is a report part too. */
const EMBEDDED = new Set(['message/rfc822', 'message/global']);

/** At most this many report parts per mail; a report has two or three. */
const MAX_REPORT_PARTS = 8;

const EXTENSIONS: Record<string, string> = {
  'message/rfc822': '.eml',
  'message/global': '.eml',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/calendar': '.ics',
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
};

/**
 * A filename that is safe to store and offer for download: no directories,
 * no control characters, at most 200 characters; made up from the index and
 * content type when the part names none.
 */
export function safeFilename(name: string | undefined, index: number, contentType: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').replace(/^[.\s]+/, '').trim().slice(0, 200);
  if (cleaned !== '') return cleaned;
  return `attachment-${index + 1}${EXTENSIONS[contentType] ?? '.bin'}`;
}

/** The header block of an embedded message: everything up to the first blank line. */
function headerBlock(text: string): string {
  const m = /\r?\n\r?\n/.exec(text);
  return m ? text.slice(0, m.index) : text;
}

function toReportPart(a: Attachment, maxChars: number): ReportPartText {
  const contentType = a.contentType.toLowerCase();
  const text = a.content.toString('utf8');
  return { contentType, text: (EMBEDDED.has(contentType) ? headerBlock(text) : text).slice(0, maxChars) };
}

function toAttachment(a: Attachment, index: number): ParsedAttachment {
  const contentType = a.contentType.toLowerCase();
  const content = new Uint8Array(a.content.buffer, a.content.byteOffset, a.content.byteLength);
  return {
    index,
    filename: safeFilename(a.filename, index, contentType),
    contentType,
    size: content.byteLength,
    contentId: a.cid ?? (a.contentId ?? '').replace(/^<|>$/g, ''),
    inline: a.contentDisposition === 'inline' || a.related === true,
    content,
    sha256: a.checksum && a.checksum.length === 64 ? a.checksum : createHash('sha256').update(content).digest('hex'),
  };
}

export function splitAttachments(
  parts: readonly Attachment[],
  maxReportChars: number,
): { attachments: ParsedAttachment[]; reportParts: ReportPartText[] } {
  const attachments: ParsedAttachment[] = [];
  const reportParts: ReportPartText[] = [];
  for (const part of parts) {
    const type = part.contentType.toLowerCase();
    const isReport = REPORT_ONLY.has(type) || EMBEDDED.has(type);
    if (isReport && reportParts.length < MAX_REPORT_PARTS) reportParts.push(toReportPart(part, maxReportChars));
    if (!REPORT_ONLY.has(type)) attachments.push(toAttachment(part, attachments.length));
  }
  return { attachments, reportParts };
}
