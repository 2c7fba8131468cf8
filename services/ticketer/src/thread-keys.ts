/**
 * Which Message-IDs tie an email to a conversation, and in which order they
 * are trusted (RFC 5322 §3.6.4): In-Reply-To names the parent; References
 * lists the thread oldest first, so it is searched newest first (the nearest
 * ancestor wins when a thread was split). The email's own Message-ID comes
 * first of all: when a reply was filed before this, its original, the reply
 * already recorded this id as a thread key.
 */
import type { InboundMail } from './inbound-mail';

export type KeyMatch = 'REFERENCES' | 'IN_REPLY_TO' | 'PROVIDER_THREAD';

export interface CandidateKey {
  key: string;
  matchedBy: KeyMatch;
  detail: string;
}

/** Bounds lock and lookup work for mails with absurd References headers; the newest ids matter most. */
export const MAX_REFERENCES = 100;

const newestReferences = (mail: InboundMail): string[] => mail.references.slice(-MAX_REFERENCES).reverse();

/** Candidate keys in match order. */
export function candidateKeys(mail: InboundMail): CandidateKey[] {
  const out: CandidateKey[] = [
    { key: mail.messageId, matchedBy: 'REFERENCES', detail: `own Message-ID <${mail.messageId}> is referenced by the ticket` },
    ...mail.inReplyTo.map((key) => ({ key, matchedBy: 'IN_REPLY_TO' as const, detail: `In-Reply-To <${key}>` })),
    ...newestReferences(mail).map((key) => ({ key, matchedBy: 'REFERENCES' as const, detail: `References <${key}>` })),
  ];
  if (mail.providerThreadKey) {
    out.push({ key: mail.providerThreadKey, matchedBy: 'PROVIDER_THREAD', detail: `provider thread ${mail.providerThreadKey}` });
  }
  return out;
}

/** Every key the mail carries: locked before lookup, recorded on its ticket after. */
export function threadKeysOf(mail: InboundMail): string[] {
  const keys = [mail.messageId, ...mail.inReplyTo, ...newestReferences(mail)];
  if (mail.providerThreadKey) keys.push(mail.providerThreadKey);
  return [...new Set(keys)];
}

/** The first candidate that names a known ticket. */
export function firstMatch(
  candidates: CandidateKey[],
  known: Map<string, string>,
): (CandidateKey & { ticketId: string }) | undefined {
  for (const c of candidates) {
    const ticketId = known.get(c.key);
    if (ticketId) return { ...c, ticketId };
  }
  return undefined;
}
