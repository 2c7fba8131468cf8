/**
 * The send state machine of an outbound message row, as conditional UPDATEs
 * so that a redelivered send job can never send twice:
 *
 *   pending --claim--> sending --(SMTP 250)--> sent
 *                         |--(retryable)--> pending
 *                         |--(terminal)---> failed --retryFailedSend--> pending
 *                         '--(found still sending by a later delivery)--> unknown
 *
 * A row found in 'sending' means an earlier attempt may have been accepted by
 * the SMTP server without us recording it (a crash between the 250 and the
 * UPDATE): it becomes 'unknown' for a person to decide, never re-sent.
 */
import type { DataSource } from 'typeorm';
import { MESSAGE_COLUMNS, getMessage, queryRows, type MessageRow, type Queryable } from './messages';
import { outboundRequest, type OutboundRequest } from './outbound';

export type ClaimResult =
  | { claimed: true; message: MessageRow }
  | { claimed: false; message: MessageRow | undefined };

/** Moves a pending outbound row to 'sending' and counts the attempt; otherwise returns the row as it is. */
export async function claimOutbound(q: Queryable, tenantId: string, id: string): Promise<ClaimResult> {
  const rows = await queryRows<MessageRow>(
    q,
    `UPDATE messages SET send_status = 'sending', send_attempts = send_attempts + 1
      WHERE tenant_id = $1 AND id = $2 AND direction = 'outbound' AND send_status = 'pending'
      RETURNING ${MESSAGE_COLUMNS}`,
    [tenantId, id],
  );
  if (rows[0]) return { claimed: true, message: rows[0] };
  return { claimed: false, message: await getMessage(q, tenantId, id) };
}

/** 'sending' → 'unknown'; true when this call made the change. */
export async function markOutboundUnknown(q: Queryable, tenantId: string, id: string, reason: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    q,
    `UPDATE messages SET send_status = 'unknown', send_error = $3
      WHERE tenant_id = $1 AND id = $2 AND send_status = 'sending' RETURNING id`,
    [tenantId, id, reason],
  );
  return rows.length > 0;
}

/**
 * Records an accepted send. 'unknown' also moves to 'sent': if a slow attempt
 * finishes after a redelivery flagged it, the server's 250 is the truth.
 * `note` stays in send_error for operators (e.g. recipients left out because
 * they are suppressed); without it send_error is cleared.
 */
export async function markOutboundSent(
  q: Queryable,
  tenantId: string,
  id: string,
  at: Date,
  note: string | null = null,
): Promise<MessageRow | undefined> {
  const rows = await queryRows<MessageRow>(
    q,
    `UPDATE messages SET send_status = 'sent', sent_at = $3, send_error = $4
      WHERE tenant_id = $1 AND id = $2 AND send_status IN ('sending', 'unknown') RETURNING ${MESSAGE_COLUMNS}`,
    [tenantId, id, at, note],
  );
  return rows[0];
}

/** 'sending' → 'failed' with the reason. */
export async function markOutboundFailed(q: Queryable, tenantId: string, id: string, reason: string): Promise<MessageRow | undefined> {
  const rows = await queryRows<MessageRow>(
    q,
    `UPDATE messages SET send_status = 'failed', send_error = $3
      WHERE tenant_id = $1 AND id = $2 AND send_status = 'sending' RETURNING ${MESSAGE_COLUMNS}`,
    [tenantId, id, reason],
  );
  return rows[0];
}

/** 'sending' → 'pending' after a retryable failure, keeping the last error for operators. */
export async function releaseOutbound(q: Queryable, tenantId: string, id: string, reason: string): Promise<void> {
  await q.query(
    `UPDATE messages SET send_status = 'pending', send_error = $3
      WHERE tenant_id = $1 AND id = $2 AND send_status = 'sending'`,
    [tenantId, id, reason],
  );
}

/**
 * An operator's retry of a failed (or unknown-outcome) send: back to pending.
 * Returns the OutboundRequested to publish (msgId
 * `outbound-requested:<row>:retry-<attempts>`), or undefined when the message
 * is not in a retryable state.
 */
export async function retryFailedSend(ds: DataSource | Queryable, tenantId: string, messageId: string): Promise<OutboundRequest | undefined> {
  const rows = await queryRows<MessageRow>(
    ds,
    `UPDATE messages SET send_status = 'pending'
      WHERE tenant_id = $1 AND id = $2 AND direction = 'outbound' AND send_status IN ('failed', 'unknown')
      RETURNING ${MESSAGE_COLUMNS}`,
    [tenantId, messageId],
  );
  if (!rows[0]) return undefined;
  // A fresh msgId: the first request's id may still be inside JetStream's duplicate window.
  return { ...outboundRequest(rows[0]), msgId: `outbound-requested:${rows[0].id}:retry-${rows[0].sendAttempts}` };
}

/** Outbound messages that need a person or a retry, newest first (for the CLI). */
export async function listFailedSends(q: Queryable, tenantId: string, limit = 50): Promise<MessageRow[]> {
  return queryRows<MessageRow>(
    q,
    `SELECT ${MESSAGE_COLUMNS} FROM messages
      WHERE tenant_id = $1 AND direction = 'outbound' AND send_status IN ('failed', 'unknown')
      ORDER BY created_at DESC LIMIT $2`,
    [tenantId, limit],
  );
}
