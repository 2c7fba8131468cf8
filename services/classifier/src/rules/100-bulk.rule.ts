/**
 * Mass mail: mailing lists (RFC 2919 List-Id, RFC 2369/8058
 * List-Unsubscribe), Precedence: bulk/list/junk, and bulk senders' campaign
 * headers (Google's Feedback-ID, X-Campaign-Id). Last in the chain, so an
 * out-of-office or bounce that also carries Precedence: bulk keeps its kind.
 */
import { MailKind, type MailParsed, type Verdict } from '@postroom/contracts';
import { autoReplySignals } from '@postroom/mail';
import { reason, verdict } from '../verdict';

const RULE = 'bulk';

export function bulk(msg: MailParsed): Verdict | undefined {
  const signals = autoReplySignals(msg.headers).filter((s) => s.kind === 'bulk');
  if (signals.length === 0) return undefined;
  return verdict(MailKind.BULK, 0.8, signals.map((s) => reason(RULE, `${s.source}: ${s.value}`, s.source)));
}
