/**
 * RFC 3464 delivery status notifications: a message/delivery-status part
 * (RFC 6533's message/global-delivery-status too). Failed recipients make a
 * bounce; if every recipient is only `delayed` (§2.3.3) it is a delay
 * warning, not a failure; reports that only say delivered/relayed/expanded
 * (NOTIFY=SUCCESS) are automatic mail, not bounces.
 */
import { MailKind, type MailParsed, type Verdict } from '@postroom/contracts';
import { isPermanentStatus, parseDeliveryStatus, type DsnRecipient } from '@postroom/mail';
import { originalMessageId, reportParts } from '../mail-view';
import { bounceReport, reason, verdict, type MailText } from '../verdict';

const RULE = 'dsn-bounce';
const PARTS = ['message/delivery-status', 'message/global-delivery-status'];

/**
 * RFC 3464 §2.3.3: failed means given up; a 4.x.x there is a soft bounce
 * (expired in the queue). SendGrid and others write the non-standard
 * `expired` for the same thing, and some content filters `failure`.
 */
const isFailed = (r: DsnRecipient) =>
  r.action === 'failed' || r.action === 'expired' || r.action === 'failure' || (r.action === '' && r.status.startsWith('5.'));

function summary(list: DsnRecipient[]): string {
  return list.map((r) => `${r.recipient} ${r.action || 'no action'} ${r.status || 'no status'}`).join(', ');
}

export function dsnBounce(msg: MailParsed, body: MailText): Verdict | undefined {
  const part = reportParts(msg, ...PARTS)[0];
  if (part === undefined) return undefined;
  const dsn = parseDeliveryStatus(part);
  const failed = dsn.recipients.filter(isFailed);
  const delayed = dsn.recipients.filter((r) => r.action === 'delayed');
  const chosen = failed.length > 0 ? failed : delayed;
  if (chosen.length === 0) {
    if (dsn.recipients.length === 0) return undefined;
    return verdict(MailKind.AUTO_REPLY, 0.9, [reason(RULE, `success report: ${summary(dsn.recipients)}`, PARTS[0])]);
  }
  const first = chosen[0];
  const report = bounceReport({
    recipients: chosen.map((r) => r.recipient),
    status: first.status,
    permanent: failed.length > 0 && (first.status === '' || isPermanentStatus(first.status)),
    diagnostic: first.diagnostic,
    originalMessageId: originalMessageId(msg, body.text),
    reportingMta: dsn.reportingMta,
  });
  const kind = failed.length > 0 ? MailKind.BOUNCE : MailKind.DELIVERY_DELAY;
  return verdict(kind, 0.99, [reason(RULE, `RFC 3464 report: ${summary(chosen)}`, PARTS[0])], report);
}
