/**
 * What a delivery report itself says about the mail it reports on, read
 * from the raw text with plain line scans — deliberately not through
 * @postroom/mail or the rules, so the evaluation does not grade our parse
 * with our parse:
 *
 * - messageId: the Message-ID of the returned header block (the part after
 *   a `Content-Type: message/rfc822 | text/rfc822-headers | message/global…`
 *   line, RFC 3464 §2 / RFC 6522 §4; base64 decoded), else the first
 *   `Message-ID:` line in the body (a quoted original, as qmail, Exim and
 *   Sendmail send it); '' when the report carries none.
 * - recipients: Final-Recipient (else Original-Recipient) of each
 *   per-recipient group whose Action is failed, delayed or absent (RFC 3464
 *   §2.3), else the X-Failed-Recipients header (Exim); [] when neither.
 *
 * Raw scans are approximations: quoted-printable bodies and ids folded onto
 * a second line are read as they stand. Differences are listed one by one
 * in the report, so they can be checked by eye.
 */

const EMBEDDED_PART = /^content-type:[ \t]*(?:message\/rfc822|text\/rfc822-headers|message\/global(?:-headers)?)\b/gim;
const MESSAGE_ID_LINE = /^[ \t>]*message-id:[ \t]*(?:\r?\n[ \t]+)?<([^<>\s]+)>/im;
const BLANK_LINE = /\r?\n[ \t]*\r?\n/;

function afterBlankLine(text: string): string {
  const m = BLANK_LINE.exec(text);
  return m ? text.slice(m.index + m[0].length) : '';
}

const untilBlankLine = (text: string): string => {
  const m = BLANK_LINE.exec(text);
  return m ? text.slice(0, m.index) : text;
};

/** The header block inside an embedded part that starts at `at` (its own MIME headers, then the content). */
function embeddedHeaderBlock(raw: string, at: number): string {
  const part = raw.slice(at, at + 200_000);
  const partHeaders = untilBlankLine(part);
  let content = afterBlankLine(part);
  if (/content-transfer-encoding:[ \t]*base64/i.test(partHeaders)) {
    const lines = content.split(/\r?\n/);
    const end = lines.findIndex((l) => l.startsWith('--'));
    const b64 = (end < 0 ? lines : lines.slice(0, end)).join('');
    content = Buffer.from(b64, 'base64').toString('latin1');
  }
  return untilBlankLine(content);
}

function referenceMessageId(raw: string): string {
  for (const m of raw.matchAll(EMBEDDED_PART)) {
    const id = MESSAGE_ID_LINE.exec(embeddedHeaderBlock(raw, m.index))?.[1];
    if (id) return id;
  }
  return MESSAGE_ID_LINE.exec(afterBlankLine(raw))?.[1] ?? '';
}

const address = (value: string) => value.replace(/^[^;]*;/, '').trim().replace(/^<|>$/g, '').toLowerCase();

function referenceRecipients(raw: string): string[] {
  const found: string[] = [];
  // The body only: a top-level Original-Recipient is a delivering MTA's trace of the report itself.
  for (const group of afterBlankLine(raw).split(BLANK_LINE)) {
    const final = /^final-recipient:[ \t]*(.+)$/im.exec(group)?.[1] ?? /^original-recipient:[ \t]*(.+)$/im.exec(group)?.[1];
    if (!final) continue;
    const action = (/^action:[ \t]*(\S+)/im.exec(group)?.[1] ?? '').toLowerCase();
    if (action === '' || /^(?:failed|failure|delayed|expired)/.test(action)) found.push(address(final));
  }
  if (found.length > 0) return [...new Set(found.filter((a) => a.includes('@')))];
  const header = /^x-failed-recipients:[ \t]*(.+(?:\r?\n[ \t]+.+)*)/im.exec(untilBlankLine(raw))?.[1] ?? '';
  return [...new Set(header.split(',').map((a) => address(a)).filter((a) => a.includes('@')))];
}

export function referenceFields(raw: string): { messageId: string; recipients: string[] } {
  return { messageId: referenceMessageId(raw), recipients: referenceRecipients(raw) };
}
