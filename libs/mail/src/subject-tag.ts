/**
 * The ticket tag Postroom puts in outbound subjects (`[#1234] …`) and the
 * reply/forward prefixes mail clients add in many languages. Threading falls
 * back to the tag when a client drops In-Reply-To and References.
 */

/** `Re: [#1234] Printer` → 1234; the first tag wins; undefined when none. */
export function parseTicketTag(subject: string): number | undefined {
  const match = /\[#(\d{1,15})\]/.exec(subject);
  if (!match) return undefined;
  const n = Number(match[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Puts the tag in front of the subject unless it is already there. */
export function withTicketTag(subject: string, ticketNumber: number): string {
  const tag = `[#${ticketNumber}]`;
  return subject.includes(tag) ? subject : `${tag} ${subject}`.trim();
}

/**
 * Reply and forward prefixes as clients write them: Re, Fwd, Fw (English),
 * AW, WG (German), SV, VS (Nordic), Antw, Doorst (Dutch), RE, TR (French),
 * RV (Spanish), R, I (Italian), Odp, PD (Polish), Ynt, İlt (Turkish),
 * 回复, 转发 (Chinese), with an optional counter like `Re[2]:`.
 */
const PREFIX = /^\s*(?:re|fwd?|aw|wg|sv|vs|antw|doorst|tr|rv|r|i|odp|pd|ynt|i̇lt|回复|转发)(?:\s*\[\d+\])?\s*[:：]\s*/i;

/** `Re: AW: Fwd: Printer` → `Printer`. */
export function stripReplyPrefixes(subject: string): string {
  let out = subject;
  for (let i = 0; i < 20; i += 1) {
    const next = out.replace(PREFIX, '');
    if (next === out) break;
    out = next;
  }
  return out.trim();
}
