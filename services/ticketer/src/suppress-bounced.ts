/**
 * The suppression-list entries a bounce earns. Only a permanent failure
 * (RFC 3463: a 5.x.x status, or the classifier's wording evidence) of a
 * message we sent counts, and only for addresses that message went to: a
 * forged or misdirected DSN names whoever it likes, and must not silence a
 * customer. A report that names no recipient suppresses the one recipient of
 * a single-recipient message, and nobody otherwise.
 */
import type { BounceReport } from '@postroom/contracts';
import { suppressAddresses, type MessageRow, type Queryable } from '@postroom/db';

const bare = (address: string): string => address.trim().replace(/^<+|>+$/g, '').trim().toLowerCase();

/** The addresses of `outbound` that `report` says failed permanently. */
export function bouncedRecipients(report: BounceReport | undefined, outbound: Pick<MessageRow, 'to' | 'cc'>): string[] {
  if (!report?.permanent) return [];
  const sent = [...new Set([...outbound.to, ...outbound.cc].map((a) => bare(a.address)))];
  const named = report.recipients.map(bare).filter((a) => a !== '');
  if (named.length === 0) return sent.length === 1 ? sent : [];
  return sent.filter((a) => named.includes(a));
}

/** Writes the suppressions for a bounce linked to `outbound`; returns the addresses suppressed. */
export async function suppressBounced(
  q: Queryable,
  x: { tenantId: string; report: BounceReport | undefined; outbound: MessageRow; now: Date; expiryMs: number },
): Promise<string[]> {
  const addresses = bouncedRecipients(x.report, x.outbound);
  if (addresses.length === 0) return [];
  const status = x.report?.status ?? '';
  const diagnostic = (x.report?.diagnostic ?? '').replace(/\s+/g, ' ').trim();
  await suppressAddresses(q, {
    tenantId: x.tenantId,
    addresses,
    reason: `permanent bounce${status ? ` ${status}` : ''}${diagnostic ? `: ${diagnostic}` : ''}`,
    statusCode: status || null,
    bouncedMessageId: x.outbound.id,
    at: x.now,
    expiresAt: new Date(x.now.getTime() + x.expiryMs),
  });
  return addresses;
}
