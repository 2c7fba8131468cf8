/**
 * Reads a human-readable bounce (no RFC 3464 part): failed recipients,
 * status code, permanence and diagnostic line, from the notification text
 * above the returned original.
 */
import { findStatusCode } from '@postroom/mail';
import { ORIGINAL_MARKER, PERMANENT_WORDING, TEMPORARY_WORDING, DAEMON_LOCALPART } from './phrases/bounce';

export interface TextBounce {
  recipients: string[];
  status: string;
  /** From the status code, the SMTP reply code, or the wording; undefined when nothing says. */
  permanent: boolean | undefined;
  diagnostic: string;
}

/** An addr-spec in free text (good enough for notices; not RFC 5322's full grammar). */
export const ADDRESS_IN_TEXT = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const SMTP_REPLY = /(?:^|[^\d.])([245]\d\d)(?:[ :-]|$)/m;
/** A failure reply (4xx/5xx): an SMTP transcript shows 220/250 replies before the one that failed. */
const FAILURE_REPLY = /(?:^|[^\d.])([45]\d\d)(?:[ :-]|$)/m;
/** RFC 3463 failure classes only, for the same reason (`250 2.1.0 Ok` precedes `451 4.3.0`). */
const FAILURE_STATUS = /\b([45])\.(\d{1,3})\.(\d{1,3})\b/;

/** The notification text, without the returned original message. */
export function notificationText(text: string): string {
  const m = ORIGINAL_MARKER.exec(text);
  return (m ? text.slice(0, m.index) : text).slice(0, 16_000);
}

/**
 * qmail lists each failed address as `<user@host>:` at the start of a line,
 * Postfix's text part as `<user@host>: host … said: 550 …` or
 * `<user@host> (expanded from <alias@host>): …`.
 */
function bracketedLineRecipients(text: string): string[] {
  return [...text.matchAll(/^<([^<>\s]+@[^<>\s]+)>(?::|\s+\(expanded from)/gm)].map((m) => m[1]);
}

/**
 * RFC 3464 fields that reached the text (a report part the MIME parse could
 * not split off): Final-Recipient of each group whose Action is failed or
 * delayed.
 */
function dsnFieldRecipients(text: string): string[] {
  const found: string[] = [];
  for (const group of text.split(/\r?\n[ \t]*\r?\n/)) {
    const final = /^final-recipient:[^;\r\n]*;[ \t]*<?([^<>\s]+@[^<>\s]+?)>?[ \t]*$/im.exec(group)?.[1];
    const action = /^action:[ \t]*(\S+)/im.exec(group)?.[1] ?? '';
    if (final && /^(?:failed|delayed)/i.test(action)) found.push(final);
  }
  return found;
}

/** Sendmail's per-recipient error lines: `550 <user@host>... User unknown`. */
function sendmailRecipients(text: string): string[] {
  return [...text.matchAll(/^[45]\d\d <([^<>\s]+@[^<>\s]+)>\.\.\./gm)].map((m) => m[1]);
}

/**
 * The envelope recipient an SMTP transcript or a message summary names
 * (`RCPT TO:<user@host>`): Sendmail and Postfix transcripts, Apache James's
 * "Message details" block. When present it is the failed recipient; the
 * other addresses in such a text are the sender's and the header From's.
 */
function rcptToRecipients(text: string): string[] {
  return [...text.matchAll(/\brcpt to:\s*<?([^<>\s]+@[^<>\s]+?)>?(?=\s|$)/gim)].map((m) => m[1]);
}

/**
 * The To of the returned original (the header block after the marker), for
 * a notice that names no recipient at all (Sendmail V5: "Deferred:
 * Connection timed out" and nothing else). That is whom the mail was for.
 */
function returnedTo(text: string): string[] {
  const m = ORIGINAL_MARKER.exec(text);
  if (!m) return [];
  const block = text.slice(m.index).split(/\r?\n\s*\r?\n/, 2).join('\n').slice(0, 8_000);
  const to = /^\s*to:[ \t]*([^\r\n]*(?:\r?\n[ \t]+[^\r\n]*)*)/im.exec(block.split(/\r?\n/).slice(1).join('\n'));
  return to ? (to[1].match(ADDRESS_IN_TEXT) ?? []) : [];
}

/** Message-IDs and queue ids look like addresses (`20250101.ab12@host`): lines and tokens that carry them. */
const ID_CONTEXT = /^[ \t>]*(?:message-id|in-reply-to|references|x-postfix-queue-id)[ \t]*:.*$|\bid[ \t]+<[^<>\r\n]*>/gim;

function addressesIn(text: string, exclude: ReadonlySet<string>): string[] {
  const found = (text.replace(ID_CONTEXT, ' ').match(ADDRESS_IN_TEXT) ?? []).map((a) => a.replace(/^'+/, '').toLowerCase());
  return [...new Set(found)].filter((a) => !exclude.has(a) && !DAEMON_LOCALPART.test(a.split('@')[0]));
}

function diagnosticLine(text: string, needle: string): string {
  if (needle === '') return '';
  const line = text.split(/\r?\n/).find((l) => l.includes(needle)) ?? '';
  return line.replace(/\s+/g, ' ').trim().slice(0, 500);
}

function permanence(status: string, reply: string, text: string): boolean | undefined {
  if (status !== '') return status.startsWith('5.');
  if (reply !== '') return reply.startsWith('5');
  if (PERMANENT_WORDING.test(text)) return true;
  if (TEMPORARY_WORDING.test(text)) return false;
  return undefined;
}

/** An enhanced status code or SMTP reply code in the notification: machine wording, not a person's. */
export function hasReplyCode(text: string): boolean {
  const notice = notificationText(text);
  return findStatusCode(notice) !== '' || SMTP_REPLY.test(notice);
}

/**
 * `failedHeader` are the X-Failed-Recipients addresses (Exim, Gmail), the
 * best source when present; `exclude` are the bounce's own From/To, which
 * appear in the text but are not recipients of the original.
 */
export function readBounceText(text: string, failedHeader: string[], exclude: ReadonlySet<string>): TextBounce {
  const notice = notificationText(text);
  const listed = [failedHeader, dsnFieldRecipients(notice), bracketedLineRecipients(notice), sendmailRecipients(notice), rcptToRecipients(notice)].find(
    (l) => l.length > 0,
  );
  const found = listed ?? addressesIn(notice, exclude);
  const recipients = found.length > 0 ? found : returnedTo(text);
  const failure = FAILURE_STATUS.exec(notice);
  const status = failure ? `${failure[1]}.${failure[2]}.${failure[3]}` : findStatusCode(notice);
  const reply = FAILURE_REPLY.exec(notice)?.[1] ?? SMTP_REPLY.exec(notice)?.[1] ?? '';
  return {
    recipients: recipients.map((r) => r.toLowerCase()).slice(0, 50),
    status,
    permanent: permanence(status, reply, notice),
    diagnostic: diagnosticLine(notice, status || reply),
  };
}
