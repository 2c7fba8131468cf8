/**
 * Read receipts: RFC 8098 message disposition notifications
 * (multipart/report; report-type=disposition-notification), and the
 * non-standard receipts some clients send as plain mail with a "Read:"
 * subject and a "was read on" body. The original Message-ID, when the
 * receipt names it, is reported in `bounce.original_message_id` so the
 * ticketer can link the receipt to the message it confirms.
 */
import { MailKind, type MailParsed, type Verdict } from '@postroom/contracts';
import { parseDispositionNotification } from '@postroom/mail';
import { hasNullSender, originalMessageId, reportParts, reportType } from '../mail-view';
import { bounceReport, reason, verdict, type MailText } from '../verdict';

const RULE = 'read-receipt';
const PARTS = ['message/disposition-notification', 'message/global-disposition-notification'];

/** "Read:" as Outlook, Thunderbird and others localise it. */
const READ_SUBJECT = /^\s*(?:read|not read|gelesen|nicht gelesen|lu|non lu|leído|no leído|letto|non letto|gelezen|niet gelezen|läst|lest|læst|luettu|przeczytano|přečteno|olvasott|прочитано|已读|已讀|開封済み)\s*[:：]/i;
const READ_BODY = /\b(?:was read on|wurde am .{1,40} gelesen|a été lu le|fue leído el|è stato letto il|is gelezen op)\b/i;

export function readReceipt(msg: MailParsed, body: MailText): Verdict | undefined {
  const part = reportParts(msg, ...PARTS)[0];
  if (part !== undefined || reportType(msg) === 'disposition-notification') {
    const mdn = parseDispositionNotification(part ?? '');
    const original = mdn.originalMessageId || originalMessageId(msg, body.text);
    const report = bounceReport({
      recipients: mdn.finalRecipient ? [mdn.finalRecipient] : [],
      status: '',
      permanent: false,
      diagnostic: mdn.disposition,
      originalMessageId: original,
    });
    const detail = `RFC 8098 disposition notification${mdn.disposition ? `: ${mdn.disposition}` : ''}`;
    return verdict(MailKind.READ_RECEIPT, 0.98, [reason(RULE, detail, part ? PARTS[0] : 'content-type')], report);
  }
  if (READ_SUBJECT.test(msg.subject) && (READ_BODY.test(body.text) || hasNullSender(msg))) {
    const report = bounceReport({ recipients: [], status: '', permanent: false, diagnostic: '', originalMessageId: originalMessageId(msg, body.text) });
    return verdict(MailKind.READ_RECEIPT, 0.85, [reason(RULE, `read-receipt subject "${msg.subject}" with receipt wording`, 'subject')], report);
  }
  return undefined;
}
