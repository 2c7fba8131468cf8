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

const ADDRESS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const SMTP_REPLY = /(?:^|[^\d.])([245]\d\d)(?:[ :-]|$)/m;

/** The notification text, without the returned original message. */
export function notificationText(text: string): string {
  const m = ORIGINAL_MARKER.exec(text);
  return (m ? text.slice(0, m.index) : text).slice(0, 16_000);
}

/** qmail lists each failed address as `<user@host>:` at the start of a line. */
function qmailRecipients(text: string): string[] {
  return [...text.matchAll(/^<([^<>\s]+@[^<>\s]+)>:\s*$/gm)].map((m) => m[1]);
}

function addressesIn(text: string, exclude: ReadonlySet<string>): string[] {
  const found = (text.match(ADDRESS) ?? []).map((a) => a.toLowerCase());
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

/**
 * `failedHeader` are the X-Failed-Recipients addresses (Exim, Gmail), the
 * best source when present; `exclude` are the bounce's own From/To, which
 * appear in the text but are not recipients of the original.
 */
/** An enhanced status code or SMTP reply code in the notification: machine wording, not a person's. */
export function hasReplyCode(text: string): boolean {
  const notice = notificationText(text);
  return findStatusCode(notice) !== '' || SMTP_REPLY.test(notice);
}

export function readBounceText(text: string, failedHeader: string[], exclude: ReadonlySet<string>): TextBounce {
  const notice = notificationText(text);
  const qmail = qmailRecipients(notice);
  const recipients = failedHeader.length > 0 ? failedHeader : qmail.length > 0 ? qmail : addressesIn(notice, exclude);
  const status = findStatusCode(notice);
  const reply = SMTP_REPLY.exec(notice)?.[1] ?? '';
  return {
    recipients: recipients.map((r) => r.toLowerCase()).slice(0, 50),
    status,
    permanent: permanence(status, reply, notice),
    diagnostic: diagnosticLine(notice, status || reply),
  };
}
