/**
 * Bounces and delay warnings that are not RFC 3464 reports: qmail's
 * "failure notice", Exim's plain-text bounce (with X-Failed-Recipients),
 * Sendmail/Exchange/Domino/Gmail texts and their localisations. Requires a
 * mail-system sender (MAILER-DAEMON, postmaster, the null sender) or Exim's
 * X-Failed-Recipients, plus bounce wording: in the subject, or in the body
 * backed by machine evidence (null sender, an RFC 3834 header, a status or
 * SMTP reply code, a returned message). A provider that bounces from a
 * no-reply address (au one net / KDDI) is recognised when the returned
 * message is attached *and* subject and notice both say it failed. So a customer forwarding a bounce ("FW: Undeliverable: …") or
 * an office admin writing from postmaster@ stays normal mail.
 */
import { MailKind, type MailParsed, type Reason, type Verdict } from '@postroom/contracts';
import { autoReplySignals } from '@postroom/mail';
import { allHeaders, fromAddress, hasNullSender, originalMessageId, recipientAddresses, reportParts } from '../mail-view';
import { hasReplyCode, notificationText, readBounceText } from '../bounce-text';
import { DAEMON_LOCALPART, DAEMON_NAME, NO_REPLY_LOCALPART, DELAY_BODY, DELAY_SUBJECT, FAILURE_BODY, FAILURE_SUBJECT } from '../phrases/bounce';
import { bounceReport, reason, verdict, type MailText } from '../verdict';

const RULE = 'vendor-bounce';

function daemonEvidence(msg: MailParsed): Reason | undefined {
  const from = fromAddress(msg);
  if (DAEMON_LOCALPART.test(from.split('@')[0] ?? '')) return reason(RULE, `sender ${from}`, 'from');
  if (msg.from && DAEMON_NAME.test(msg.from.name)) return reason(RULE, `sender name "${msg.from.name}"`, 'from');
  if (hasNullSender(msg)) return reason(RULE, 'null sender (Return-Path: <>)', 'return-path');
  if (DAEMON_LOCALPART.test(msg.returnPath.split('@')[0])) return reason(RULE, `return path ${msg.returnPath}`, 'return-path');
  return undefined;
}

const failedRecipients = (msg: MailParsed) =>
  allHeaders(msg, 'x-failed-recipients').flatMap((v) => v.split(',')).map((a) => a.trim().replace(/^<|>$/g, '')).filter((a) => a.includes('@'));

const hasReturnedMessage = (msg: MailParsed) => reportParts(msg, 'message/rfc822', 'text/rfc822-headers').length > 0;

/** Evidence that a program, not a person, wrote the body text. */
const machineWritten = (msg: MailParsed, body: MailText) =>
  hasNullSender(msg) ||
  autoReplySignals(msg.headers).some((s) => s.kind === 'auto-replied' || s.kind === 'auto-generated') ||
  hasReplyCode(body.text) ||
  hasReturnedMessage(msg);

interface Wording { failSubject: boolean; delay: boolean; failBody?: string }

function wording(msg: MailParsed, body: MailText): Wording {
  const notice = notificationText(body.text);
  const failSubject = FAILURE_SUBJECT.test(msg.subject);
  const machine = machineWritten(msg, body);
  const delay = DELAY_SUBJECT.test(msg.subject) || (!failSubject && machine && DELAY_BODY.test(notice));
  const failBody = machine || failSubject ? FAILURE_BODY.exec(notice)?.[0] : undefined;
  return { failSubject, delay, failBody };
}

export function vendorBounce(msg: MailParsed, body: MailText): Verdict | undefined {
  const failedHeader = failedRecipients(msg);
  const daemon = daemonEvidence(msg);
  const w = wording(msg, body);
  const noReply = NO_REPLY_LOCALPART.test(fromAddress(msg).split('@')[0]);
  const returned = !daemon && noReply && w.failSubject && w.failBody !== undefined && hasReturnedMessage(msg);
  if (!daemon && failedHeader.length === 0 && !returned) return undefined;
  if (!w.delay && !w.failSubject && !w.failBody && failedHeader.length === 0) return undefined;
  const reasons = [...(daemon ? [daemon] : [])];
  if (returned) reasons.push(reason(RULE, `sender ${fromAddress(msg)} with the returned message attached`, 'from'));
  if (failedHeader.length > 0) reasons.push(reason(RULE, `X-Failed-Recipients: ${failedHeader.join(', ')}`, 'x-failed-recipients'));
  if (w.failSubject || w.delay) reasons.push(reason(RULE, `subject "${msg.subject}"`, 'subject'));
  if (w.failBody && !w.delay) reasons.push(reason(RULE, `body says "${w.failBody}"`, 'body'));
  const read = readBounceText(body.text, failedHeader, new Set([fromAddress(msg), ...recipientAddresses(msg)]));
  const isDelay = w.delay && failedHeader.length === 0;
  const report = bounceReport({
    recipients: read.recipients,
    status: read.status,
    permanent: !isDelay && read.permanent === true,
    diagnostic: read.diagnostic,
    originalMessageId: originalMessageId(msg, body.text),
  });
  if (isDelay) return verdict(MailKind.DELIVERY_DELAY, 0.85, reasons, report);
  const confidence = failedHeader.length > 0 ? 0.95 : w.failSubject && w.failBody ? 0.93 : 0.85;
  return verdict(MailKind.BOUNCE, confidence, reasons, report);
}
