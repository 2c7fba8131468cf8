/**
 * Raw RFC 5322 bytes → ParsedMail. The only importer of mailparser, so a
 * later switch (postal-mime, say) touches this file alone. No I/O.
 *
 * Failure rules (both TerminalError: re-parsing the same bytes cannot help):
 * - OVER_LIMIT when the raw size exceeds `limits.maxBytes`;
 * - UNPARSEABLE when the bytes have no header section, i.e. they are empty
 *   or their first line (after one optional mbox `From ` separator line) is
 *   not an RFC 5322 §2.2 header field (`name:` with printable US-ASCII
 *   name), or when mailparser itself gives up (over its part/header limits).
 * Anything else parses, however broken: mailparser recovers what it can,
 * after repair-mime.ts has folded back an unfolded `boundary=` line; a
 * multipart body in which it finds no part at all becomes the text as is.
 */
import { simpleParser, type AddressObject, type Attachment, type ParsedMail as MpMail } from 'mailparser';
import { TerminalError } from '@postroom/errors';
import { firstHeader, headerValues, isHeaderFieldLine, splitHeaderLine, type HeaderField } from './header-fields';
import { generatedMessageId, normalizeMessageId, parseMessageIds } from './message-id';
import { DEFAULT_PARSE_LIMITS, type MailAddress, type ParseLimits, type ParsedMail } from './parsed-mail';
import { sanitizeMailHtml } from './sanitize-mail-html';
import { splitAttachments } from './mail-parts';
import { repairUnfoldedBoundary } from './repair-mime';

/** The first line of the raw bytes, skipping an mbox `From ` line. */
function firstLine(raw: Uint8Array): string {
  const head = Buffer.from(raw.subarray(0, 4096)).toString('latin1');
  const lines = head.split(/\r?\n/);
  return lines[0].startsWith('From ') ? (lines[1] ?? '') : lines[0];
}

function assertParseable(raw: Uint8Array, limits: ParseLimits): void {
  if (raw.byteLength > limits.maxBytes) {
    throw new TerminalError('OVER_LIMIT', `mail of ${raw.byteLength} bytes is over the limit of ${limits.maxBytes} bytes`);
  }
  if (raw.byteLength === 0) throw new TerminalError('UNPARSEABLE', 'mail is empty');
  if (!isHeaderFieldLine(firstLine(raw))) {
    throw new TerminalError('UNPARSEABLE', 'mail has no header section: its first line is not a header field (RFC 5322 §2.2)');
  }
}

function addresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const flat = objects.flatMap((o) => o.value).flatMap((a) => (a.group ? a.group : [a]));
  return flat
    .filter((a) => a.address !== undefined && a.address.trim() !== '')
    .map((a) => ({ name: a.name.trim(), address: (a.address ?? '').trim() }));
}

/** The first From mailbox; kept with an empty address when only a name is left (`MAILER-DAEMON <>`). */
function fromOf(value: AddressObject | undefined): MailAddress | undefined {
  const first = value?.value.flatMap((a) => (a.group ? a.group : [a]))[0];
  if (!first || (first.name.trim() === '' && !first.address?.trim())) return undefined;
  return { name: first.name.trim(), address: (first.address ?? '').trim() };
}

/** Date header → Unix ms; 0 when missing or invalid (mailparser would say "now"). */
function dateMs(headers: readonly HeaderField[]): number {
  const value = firstHeader(headers, 'date');
  if (!value) return 0;
  const ms = Date.parse(value.replace(/\([^)]*\)/g, '').trim());
  return Number.isFinite(ms) ? ms : 0;
}

/** `Content-Type` with its parameters, RFC 2045 §5.2's text/plain when absent. */
function contentTypeOf(mail: MpMail): string {
  const ct = mail.headers.get('content-type') as { value: string; params: Record<string, string> } | undefined;
  if (!ct?.value) return 'text/plain';
  const params = Object.entries(ct.params ?? {}).map(([k, v]) => `; ${k}=${/^[\w.-]+$/.test(v) ? v : JSON.stringify(v)}`);
  return `${ct.value.toLowerCase()}${params.join('')}`;
}

/** Topmost Return-Path only: RFC 5321 §4.4 has the final delivery MTA add it; lower ones are forgeries or stale. */
function returnPath(headers: readonly HeaderField[]): { returnPath: string; hasReturnPath: boolean } {
  const value = firstHeader(headers, 'return-path');
  if (value === undefined) return { returnPath: '', hasReturnPath: false };
  const address = value.replace(/\([^)]*\)/g, '').trim().replace(/^<|>$/g, '').trim();
  return { returnPath: address, hasReturnPath: true };
}

function headerFields(mail: MpMail): HeaderField[] {
  return mail.headerLines
    .map((h) => (h.key ? splitHeaderLine(h.line) : undefined))
    .filter((h): h is HeaderField => h !== undefined);
}

async function runParser(raw: Uint8Array): Promise<MpMail> {
  try {
    const bytes = repairUnfoldedBoundary(raw);
    return await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      keepCidLinks: true,
      keepDeliveryStatus: true,
      ignoreEmbedded: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
      checksumAlgo: 'sha256',
    });
  } catch (err) {
    throw new TerminalError('UNPARSEABLE', `MIME parser failed: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The body of a multipart mail in which mailparser found no part at all
 * (no delimiter matches the declared boundary: mangled by a gateway, or a
 * boundary declared but never used). mailparser then returns nothing; the
 * raw body as text is what is left to read, for people and for the
 * classifier alike. Undefined when the mail did yield something.
 */
function unsplitBody(raw: Uint8Array, mail: MpMail, contentType: string): string | undefined {
  if (!contentType.startsWith('multipart/') || mail.text || mail.html || mail.attachments.length > 0) return undefined;
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  const blank = /\r?\n\r?\n/.exec(text);
  return blank ? text.slice(blank.index + blank[0].length).trim() : undefined;
}

/** Parses one raw mail. Throws TerminalError OVER_LIMIT / UNPARSEABLE (see the module comment). */
export async function parseMail(raw: Uint8Array, limits: Partial<ParseLimits> = {}): Promise<ParsedMail> {
  const lim = { ...DEFAULT_PARSE_LIMITS, ...limits };
  assertParseable(raw, lim);
  const mail = await runParser(raw);
  const headers = headerFields(mail);
  const messageId = normalizeMessageId(firstHeader(headers, 'message-id'));
  const { attachments, reportParts } = splitAttachments(mail.attachments as Attachment[], lim.maxReportPartChars);
  const contentType = contentTypeOf(mail);
  return {
    messageId: messageId ?? generatedMessageId(raw),
    messageIdGenerated: messageId === undefined,
    inReplyTo: parseMessageIds(firstHeader(headers, 'in-reply-to')),
    references: parseMessageIds(headerValues(headers, 'references').join(' ')),
    from: fromOf(mail.from),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    replyTo: addresses(mail.replyTo),
    subject: mail.subject ?? '',
    dateMs: dateMs(headers),
    text: unsplitBody(raw, mail, contentType) ?? mail.text ?? '',
    html: typeof mail.html === 'string' ? sanitizeMailHtml(mail.html) : '',
    attachments,
    headers,
    contentType,
    reportParts,
    ...returnPath(headers),
  };
}
