/**
 * Abuse and feedback reports in the Abuse Reporting Format (RFC 5965:
 * multipart/report; report-type=feedback-report), sent by mailbox providers'
 * feedback loops when a recipient marks our mail as spam. Their own kind:
 * they concern our outbound mail, never open a ticket, and name the
 * original message so the ticketer can find it. Also Microsoft's JMRP
 * complaints (Outlook.com/Hotmail), which predate ARF: a mail from
 * staff@hotmail.com "complaint about message from <ip>" with the reported
 * message attached as message/rfc822.
 */
import { MailKind, type MailParsed, type Verdict } from '@postroom/contracts';
import { parseFeedbackReport } from '@postroom/mail';
import { originalMessageId, reportParts, reportType } from '../mail-view';
import { bounceReport, reason, verdict, type MailText } from '../verdict';

const RULE = 'feedback-report';
const PART = 'message/feedback-report';

const JMRP_SUBJECT = /^\s*complaint about message from\b/i;

function jmrp(msg: MailParsed, body: MailText): Verdict | undefined {
  if (!JMRP_SUBJECT.test(msg.subject) || reportParts(msg, 'message/rfc822').length === 0) return undefined;
  const report = bounceReport({ recipients: [], status: '', permanent: false, diagnostic: 'abuse', originalMessageId: originalMessageId(msg, body.text) });
  return verdict(MailKind.FEEDBACK_REPORT, 0.9, [reason(RULE, `JMRP complaint "${msg.subject.trim()}"`, 'subject')], report);
}

export function feedbackReport(msg: MailParsed, body: MailText): Verdict | undefined {
  const part = reportParts(msg, PART)[0];
  if (part === undefined && reportType(msg) !== 'feedback-report') return jmrp(msg, body);
  const arf = parseFeedbackReport(part ?? '');
  const report = bounceReport({
    recipients: arf.originalRcptTo,
    status: '',
    permanent: false,
    diagnostic: [arf.feedbackType, arf.userAgent].filter((s) => s !== '').join('; '),
    originalMessageId: originalMessageId(msg, body.text),
    reportingMta: arf.reportedDomain,
  });
  const detail = `RFC 5965 feedback report${arf.feedbackType ? `, Feedback-Type: ${arf.feedbackType}` : ''}`;
  return verdict(MailKind.FEEDBACK_REPORT, 0.98, [reason(RULE, detail, part ? PART : 'content-type')], report);
}
