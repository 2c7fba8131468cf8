/**
 * The suppression list at send time: an address a permanent bounce of our
 * mail put on it (libs/db suppressions, written by the ticketer) is not
 * mailed again until the entry expires or an operator removes it. When
 * every recipient is suppressed the send fails with RECIPIENT_SUPPRESSED (a
 * business outcome, reported as outbound.v1.failed, never a dead letter);
 * when only some are, they are left out and named in send_error.
 */
import { findActiveSuppressions, type MessageRow, type Queryable, type SuppressionRow } from '@postroom/db';
import { TerminalError } from '@postroom/errors';

export const RECIPIENT_SUPPRESSED = 'RECIPIENT_SUPPRESSED';

/** `a@x.test (permanent bounce 5.1.1: …, until 2026-04-01T00:00:00.000Z)`, one per row. */
export const describeSuppressed = (rows: SuppressionRow[]): string =>
  rows.map((r) => `${r.address} (${r.reason}, until ${r.expiresAt.toISOString()})`).join('; ');

/**
 * The row with its suppressed To/Cc recipients removed, and which were
 * removed; TerminalError RECIPIENT_SUPPRESSED when nobody is left.
 */
export async function dropSuppressed(
  q: Queryable,
  m: MessageRow,
  now: Date,
): Promise<{ message: MessageRow; dropped: SuppressionRow[] }> {
  const dropped = await findActiveSuppressions(q, m.tenantId, [...m.to, ...m.cc].map((a) => a.address), now);
  if (dropped.length === 0) return { message: m, dropped };
  const out = new Set(dropped.map((r) => r.address));
  const keep = (a: { address: string }) => !out.has(a.address.trim().toLowerCase());
  const message = { ...m, to: m.to.filter(keep), cc: m.cc.filter(keep) };
  if (message.to.length + message.cc.length === 0) {
    throw new TerminalError(RECIPIENT_SUPPRESSED, `every recipient is suppressed: ${describeSuppressed(dropped)}`);
  }
  return { message, dropped };
}
