/**
 * The fencing token of the ingress replica that holds a mailbox's lease
 * (architecture invariant 9), stored on the mailbox so that the database
 * itself refuses a stale owner's cursor writes.
 *
 * The token is the lease key's NATS KV revision, which only grows within one
 * bucket; `epoch` is the bucket's creation time, so a bucket recreated from
 * scratch (revisions start at 1 again) still outranks every token of the
 * old one. A new owner claims the mailbox with its token; from then on only
 * writes that carry exactly that token succeed.
 */
import type { Db } from './db-handle';

export interface MailboxFence {
  epoch: Date;
  token: number;
}

/**
 * The condition a fenced write adds, for parameters $1 = tenant, $2 =
 * mailbox, $7 = epoch, $8 = token. FOR SHARE holds the mailbox row until the
 * write commits, so a claim (an UPDATE of the row) waits for it, and a write
 * after the claim sees the new token.
 */
export const FENCE_HOLDS = `EXISTS (SELECT 1 FROM mailboxes m
  WHERE m.tenant_id = $1 AND m.id = $2 AND m.lease_epoch = $7::timestamptz AND m.lease_fence = $8::bigint FOR SHARE)`;

/**
 * Makes `fence` the mailbox's fence if it outranks the stored one. False when
 * a newer owner already claimed the mailbox (or the mailbox is gone): this
 * replica's lease is stale and it must not watch the mailbox.
 */
export async function claimMailboxFence(ds: Db, tenantId: string, mailboxId: string, fence: MailboxFence): Promise<boolean> {
  const rows = (await ds.query(
    `UPDATE mailboxes SET lease_epoch = $3, lease_fence = $4
      WHERE tenant_id = $1 AND id = $2
        AND (lease_epoch IS NULL OR lease_epoch < $3 OR (lease_epoch = $3 AND lease_fence <= $4))
      RETURNING id`,
    [tenantId, mailboxId, fence.epoch, fence.token],
  )) as unknown[];
  // pg returns [rows, count] for UPDATE … RETURNING through TypeORM's query().
  const updated = Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows;
  return updated.length > 0;
}
