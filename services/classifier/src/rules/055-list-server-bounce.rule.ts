/**
 * A mailing-list server that refuses to distribute a message and says so to
 * its sender (or to the list admin): fml's "You … are not member (… ML)"
 * and "Loop Alert: Duplicated Message-ID" notices. They are delivery
 * failures for the list address, but carry no DSN, no mail-system sender
 * and no bounce subject, so the bounce rules before this one miss them.
 * Evidence: the list server's own header (`X-MLServer: fml …`) together with
 * its refusal wording; list traffic from the same server (posts, digests,
 * command replies) has the header but not the wording.
 */
import type { MailParsed, Verdict } from '@postroom/contracts';
import { ADDRESS_IN_TEXT, notificationText } from '../bounce-text';
import { header, originalMessageId } from '../mail-view';
import { LIST_SERVER_REFUSAL_BODY, LIST_SERVER_REFUSAL_SUBJECT } from '../phrases/bounce';
import { bounceReport, MailKind, reason, verdict, type MailText } from '../verdict';

const RULE = 'list-server-bounce';

/** fml (a Japanese list manager) names itself in X-MLServer: `fml [fml 4.0.3 release (…)]`. */
const LIST_SERVER = /^\s*fml\b/i;

export function listServerBounce(msg: MailParsed, body: MailText): Verdict | undefined {
  const server = header(msg, 'x-mlserver');
  if (server === undefined || !LIST_SERVER.test(server)) return undefined;
  const notice = notificationText(body.text);
  const subject = LIST_SERVER_REFUSAL_SUBJECT.exec(msg.subject)?.[0];
  const said = subject ?? LIST_SERVER_REFUSAL_BODY.exec(notice)?.[0];
  if (said === undefined) return undefined;
  // The notice names the list first ("… of this mailing list <list@host>"): that is the address that refused.
  const list = notice.match(ADDRESS_IN_TEXT)?.[0]?.toLowerCase();
  const report = bounceReport({
    recipients: list ? [list] : [],
    status: '',
    // A policy refusal, not an address that does not exist: nothing here justifies suppressing anyone.
    permanent: false,
    diagnostic: msg.subject,
    // fml quotes the original only sometimes; its References always names it.
    originalMessageId: originalMessageId(msg, body.text) || (msg.references.at(-1) ?? ''),
  });
  return verdict(MailKind.BOUNCE, 0.85, [
    reason(RULE, `X-MLServer: ${server}`, 'x-mlserver'),
    reason(RULE, subject ? `subject "${msg.subject}"` : `body says "${said}"`, subject ? 'subject' : 'body'),
  ], report);
}
