/**
 * The classifier stage: strip untrusted control headers, run the rule chain,
 * first verdict wins, "normal" when no rule has evidence. Pure.
 */
import type { MailParsed, Verdict } from '@postroom/contracts';
import { RULES } from './rules/index';
import { stripUntrustedHeaders } from './strip-untrusted-headers';
import { normalVerdict, type MailText, type Rule } from './verdict';

/** Rules read at most this much body text: evidence sits at the top, quoted mail below. */
export const MAX_BODY_CHARS = 64 * 1024;

export function classifyMail(msg: MailParsed, body: MailText = { text: '' }, rules: readonly Rule[] = RULES): Verdict {
  const trusted = stripUntrustedHeaders(msg);
  const text = { text: body.text.slice(0, MAX_BODY_CHARS) };
  for (const rule of rules) {
    const found = rule(trusted, text);
    if (found) return found;
  }
  return normalVerdict();
}
