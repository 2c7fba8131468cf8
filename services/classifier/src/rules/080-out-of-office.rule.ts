/**
 * Out-of-office notes, told apart from other automatic mail. Wording alone
 * is weak (a customer may write "I will be back on Monday"), machine evidence
 * alone does not say "absent"; together they are strong:
 * - automation evidence: an RFC 3834 / vendor auto-reply header (any
 *   autoReplySignals kind, Precedence: bulk included — BSD vacation(1) sets
 *   only that) or the null sender; X-Auto-Response-Suppress only together
 *   with absence wording in the subject; Precedence and List-* not on list
 *   mail, where the list wrote them (a person telling a list "I'm out of
 *   the country" is not an absence note);
 * - absence wording: a client's OOF subject prefix ("Automatic reply:",
 *   "Automatische Antwort:", Sieve's "Auto:"), an absence phrase in the
 *   subject, or one in the first lines of the body, in several languages.
 * A localised "Automatic reply:"-style prefix, which only clients' OOF
 * features write, is enough on its own at lower confidence.
 */
import { MailKind, type MailParsed, type Reason, type Verdict } from '@postroom/contracts';
import { autoReplySignals } from '@postroom/mail';
import { hasNullSender, isListMail } from '../mail-view';
import { OOO_BODY_PHRASE, OOO_STRONG_SUBJECT_PREFIX, OOO_SUBJECT_PHRASE, OOO_SUBJECT_PREFIX, matchOf } from '../phrases/out-of-office';
import { reason, verdict, type MailText } from '../verdict';

const RULE = 'out-of-office';
/** Absence notes say so at the top; quoted originals further down must not count. */
const BODY_WINDOW = 2000;

function wording(msg: MailParsed, body: MailText): Reason[] {
  const out: Reason[] = [];
  const prefix = matchOf(OOO_SUBJECT_PREFIX, msg.subject);
  if (prefix) out.push(reason(RULE, `subject prefix "${prefix}"`, 'subject'));
  const phrase = prefix ? undefined : matchOf(OOO_SUBJECT_PHRASE, msg.subject);
  if (phrase) out.push(reason(RULE, `subject says "${phrase}"`, 'subject'));
  const inBody = matchOf(OOO_BODY_PHRASE, body.text.slice(0, BODY_WINDOW));
  if (inBody) out.push(reason(RULE, `body says "${inBody}"`, 'body'));
  return out;
}

function machine(msg: MailParsed): Reason[] {
  const fromList = isListMail(msg);
  const signals = autoReplySignals(msg.headers).filter((s) => !(fromList && s.kind === 'bulk'));
  const out = signals.map((s) => reason(RULE, `${s.source}: ${s.value}`, s.source));
  if (hasNullSender(msg)) out.push(reason(RULE, 'null sender (Return-Path: <>)', 'return-path'));
  return out;
}

export function outOfOffice(msg: MailParsed, body: MailText): Verdict | undefined {
  const words = wording(msg, body);
  if (words.length === 0) return undefined;
  const evidence = machine(msg);
  // X-Auto-Response-Suppress alone only says "do not answer me" (CRMs set it
  // on human mail); it counts as automation when the subject says absence.
  const onlySuppress = evidence.every((r) => r.source === 'x-auto-response-suppress');
  const subjectWords = words.some((r) => r.source === 'subject');
  if (evidence.length > 0 && (!onlySuppress || subjectWords)) return verdict(MailKind.OUT_OF_OFFICE, 0.95, [...evidence, ...words]);
  if (OOO_STRONG_SUBJECT_PREFIX.test(msg.subject)) return verdict(MailKind.OUT_OF_OFFICE, 0.8, words);
  return undefined;
}
