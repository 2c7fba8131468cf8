/**
 * Removes headers that a sender could forge to steer Postroom, before any
 * rule reads the mail (style guide §8; Zammad strips its X-Zammad-* headers
 * from untrusted mail the same way):
 *
 * - `X-Postroom-*`: Postroom's own control namespace. Only Postroom writes
 *   these, on its own outbound mail; inbound mail that carries them was
 *   crafted or is replaying ours, and no rule may take them as evidence.
 * - every `Return-Path` but the topmost: RFC 5321 §4.4 has only the final
 *   delivering MTA add it (Postfix drops incoming ones, `message_drop_headers`);
 *   a lower one was written by the sender and would fake the null sender.
 */
import { clone, MailParsedSchema, type MailParsed } from '@postroom/contracts';

/** The prefixes and names removed, for docs/classification.md and the tests. */
export const UNTRUSTED_HEADER_PREFIXES = ['x-postroom-'];

function keepTrusted(): (h: { name: string }) => boolean {
  let seenReturnPath = false;
  return (h) => {
    if (UNTRUSTED_HEADER_PREFIXES.some((p) => h.name.startsWith(p))) return false;
    if (h.name !== 'return-path') return true;
    if (seenReturnPath) return false;
    seenReturnPath = true;
    return true;
  };
}

/** The mail without untrusted control headers; the same object when there were none. */
export function stripUntrustedHeaders(msg: MailParsed): MailParsed {
  if (msg.headers.every(keepTrusted())) return msg;
  const out = clone(MailParsedSchema, msg);
  out.headers = out.headers.filter(keepTrusted());
  return out;
}
