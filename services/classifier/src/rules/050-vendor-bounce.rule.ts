/**
 * Bounces and delay warnings that are not RFC 3464 reports: qmail's
 * "failure notice", Exim's plain-text bounce (with X-Failed-Recipients),
 * Sendmail/Exchange/Domino/Gmail texts and their localisations. Requires a
 * mail-system sender (MAILER-DAEMON, postmaster, the null sender) or Exim's
 * X-Failed-Recipients, plus bounce wording in the subject or body, so a
 * customer forwarding a bounce ("FW: Undeliverable: …") stays normal mail.
 */
import { MailKind, type MailParsed, type Verdict } from '@postroom/contracts';
import { allHeaders, fromAddress, hasNullSender, originalMessageId, recipientAddresses } from '../mail-view';
import { readBounceText, notificationText } from '../bounce-text';
import { DAEMON_LOCALPART, DAEMON_NAME, DELAY_BODY, DELAY_SUBJECT, FAILURE_BODY, FAILURE_SUBJECT } from '../phrases/bounce';
import { bounceReport, reason, verdict, type MailText } from '../verdict';

const RULE = 'vendor-bounce';

function daemonEvidence(msg: MailParsed): string | undefined {
  const from = fromAddress(msg);
  if (DAEMON_LOCALPART.test(from.split('@')[0] ?? '')) return `sender ${from}`;
  if (msg.from && DAEMON_NAME.test(msg.from.name)) return `sender name "${msg.from.name}"`;
  if (hasNullSender(msg)) return 'null sender (Return-Path: <>)';
  if (DAEMON_LOCALPART.test(msg.returnPath.split('@')[0])) return `return path ${msg.returnPath}`;
  return undefined;
}

const failedRecipients = (msg: MailParsed) =>
  allHeaders(msg, 'x-failed-recipients').flatMap((v) => v.split(',')).map((a) => a.trim().replace(/^<|>$/g, '')).filter((a) => a.includes('@'));

export function vendorBounce(msg: MailParsed, body: MailText): Verdict | undefined {
  const failedHeader = failedRecipients(msg);
  const daemon = daemonEvidence(msg);
  if (!daemon && failedHeader.length === 0) return undefined;
  const notice = notificationText(body.text);
  const reasons = [
    ...(daemon ? [reason(RULE, daemon, /^(?:null|return)/.test(daemon) ? 'return-path' : 'from')] : []),
    ...(failedHeader.length > 0 ? [reason(RULE, `X-Failed-Recipients: ${failedHeader.join(', ')}`, 'x-failed-recipients')] : []),
  ];
  const failSubject = FAILURE_SUBJECT.test(msg.subject);
  const delay = DELAY_SUBJECT.test(msg.subject) || (!failSubject && DELAY_BODY.test(notice));
  const failBody = FAILURE_BODY.exec(notice)?.[0];
  if (!delay && !failSubject && !failBody && failedHeader.length === 0) return undefined;
  if (failSubject || delay) reasons.push(reason(RULE, `subject "${msg.subject}"`, 'subject'));
  if (failBody && !delay) reasons.push(reason(RULE, `body says "${failBody}"`, 'body'));
  const exclude = new Set([fromAddress(msg), ...recipientAddresses(msg)]);
  const read = readBounceText(body.text, failedHeader, exclude);
  const report = bounceReport({
    recipients: read.recipients,
    status: read.status,
    permanent: !delay && read.permanent === true,
    diagnostic: read.diagnostic,
    originalMessageId: originalMessageId(msg, body.text),
  });
  if (delay && failedHeader.length === 0) return verdict(MailKind.DELIVERY_DELAY, 0.85, reasons, report);
  const confidence = failedHeader.length > 0 ? 0.95 : failSubject && failBody ? 0.93 : 0.85;
  return verdict(MailKind.BOUNCE, confidence, reasons, report);
}
