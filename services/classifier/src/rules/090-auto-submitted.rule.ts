/**
 * Automatic mail that is not an absence note: RFC 3834 Auto-Submitted other
 * than "no", the vendor auto-reply headers (X-Autoreply, X-Autorespond,
 * Precedence: auto_reply, …), an automatic-reply subject prefix, or the null
 * sender, which RFC 3834 §3.3 asks responders to use and people never do.
 * Postroom never answers these (RFC 3834 §2), which is what breaks
 * responder-to-responder loops.
 */
import { MailKind, type MailParsed, type Verdict } from '@postroom/contracts';
import { autoReplySignals } from '@postroom/mail';
import { hasNullSender } from '../mail-view';
import { AUTO_REPLY_SUBJECT_PREFIX, matchOf } from '../phrases/out-of-office';
import { reason, verdict } from '../verdict';

const RULE = 'auto-submitted';

export function autoSubmitted(msg: MailParsed): Verdict | undefined {
  const signals = autoReplySignals(msg.headers).filter((s) => s.kind === 'auto-replied' || s.kind === 'auto-generated');
  const reasons = signals.map((s) => reason(RULE, `${s.source}: ${s.value} (${s.kind})`, s.source));
  if (reasons.length > 0) return verdict(MailKind.AUTO_REPLY, 0.9, reasons);
  const prefix = matchOf(AUTO_REPLY_SUBJECT_PREFIX, msg.subject);
  if (prefix) return verdict(MailKind.AUTO_REPLY, 0.75, [reason(RULE, `subject prefix "${prefix}"`, 'subject')]);
  if (hasNullSender(msg)) return verdict(MailKind.AUTO_REPLY, 0.7, [reason(RULE, 'null sender (Return-Path: <>)', 'return-path')]);
  return undefined;
}
