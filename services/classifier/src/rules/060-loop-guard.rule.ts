/**
 * Mail that is going round in circles. Three independent signs:
 * - too many hops: RFC 5321 §6.3 detects loops by counting Received fields;
 *   Exim's default received_headers_max is 30, which we use;
 * - the same Delivered-To twice: the mail was delivered into the same
 *   mailbox before (Postfix local(8) rejects on exactly this);
 * - an X-Loop naming one of this mail's own recipients: procmail-style
 *   responders stamp their address there, so it is our mail coming back.
 *   Not when that address is a mailing list's own (List-Post, X-BeenThere,
 *   X-Mailing-List): Mailman and SmartList stamp X-Loop with the list
 *   address on every post they distribute to it.
 */
import { MailKind, type MailParsed, type Verdict } from '@postroom/contracts';
import { allHeaders, listAddresses, recipientAddresses } from '../mail-view';
import { reason, verdict } from '../verdict';

const RULE = 'loop-guard';
export const MAX_RECEIVED = 30;

const addressIn = (value: string) => (value.match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? []).map((a) => a.toLowerCase());

function repeatedDeliveredTo(msg: MailParsed): string | undefined {
  const seen = new Set<string>();
  for (const value of allHeaders(msg, 'delivered-to').map((v) => v.trim().toLowerCase())) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}

export function loopGuard(msg: MailParsed): Verdict | undefined {
  const received = allHeaders(msg, 'received').length;
  if (received >= MAX_RECEIVED) {
    return verdict(MailKind.LOOP, 0.95, [reason(RULE, `${received} Received headers (limit ${MAX_RECEIVED}, RFC 5321 §6.3)`, 'received')]);
  }
  const repeated = repeatedDeliveredTo(msg);
  if (repeated) {
    return verdict(MailKind.LOOP, 0.95, [reason(RULE, `delivered to ${repeated} before`, 'delivered-to')]);
  }
  const list = listAddresses(msg);
  const recipients = new Set(recipientAddresses(msg).filter((a) => !list.has(a)));
  const ours = allHeaders(msg, 'x-loop').flatMap(addressIn).find((a) => recipients.has(a));
  if (ours) return verdict(MailKind.LOOP, 0.9, [reason(RULE, `X-Loop names recipient ${ours}`, 'x-loop')]);
  return undefined;
}
