/**
 * The per-recipient suppression list: addresses a permanent bounce of our
 * own outbound mail reported as undeliverable. The ticketer writes rows (only
 * for bounces linked to a message we sent, so a forged DSN suppresses
 * nobody), the sender and the auto-responder read the unexpired ones, and an
 * operator lists or removes them. Addresses are compared lower-cased.
 */
import { queryRows, type Queryable } from './messages';

export interface SuppressionRow {
  tenantId: string;
  address: string;
  reason: string;
  statusCode: string | null;
  bouncedMessageId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

const COLUMNS = `tenant_id AS "tenantId", address, reason, status_code AS "statusCode",
  bounced_message_id AS "bouncedMessageId", created_at AS "createdAt", expires_at AS "expiresAt"`;

export interface NewSuppression {
  tenantId: string;
  addresses: string[];
  reason: string;
  statusCode: string | null;
  /** Our outbound message row that bounced. */
  bouncedMessageId: string | null;
  at: Date;
  expiresAt: Date;
}

const normalize = (addresses: string[]): string[] =>
  [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter((a) => a.includes('@')))];

/**
 * Suppresses each address until `expiresAt`. A row that already exists is
 * refreshed with the newest bounce and keeps the later expiry; an expired one
 * starts over (its created_at becomes `at`).
 */
export async function suppressAddresses(q: Queryable, s: NewSuppression): Promise<SuppressionRow[]> {
  const addresses = normalize(s.addresses);
  if (addresses.length === 0) return [];
  return queryRows<SuppressionRow>(
    q,
    `INSERT INTO suppressions AS s (tenant_id, address, reason, status_code, bounced_message_id, created_at, expires_at)
     SELECT $1, a, $3, $4, $5, $6, $7 FROM unnest($2::text[]) AS a
     ON CONFLICT (tenant_id, address) DO UPDATE SET
       reason = excluded.reason, status_code = excluded.status_code, bounced_message_id = excluded.bounced_message_id,
       created_at = CASE WHEN s.expires_at <= excluded.created_at THEN excluded.created_at ELSE s.created_at END,
       expires_at = greatest(s.expires_at, excluded.expires_at)
     RETURNING ${COLUMNS}`,
    [s.tenantId, addresses, s.reason.slice(0, 1000), s.statusCode, s.bouncedMessageId, s.at, s.expiresAt],
  );
}

/** The unexpired suppressions among `addresses` at time `at`. */
export async function findActiveSuppressions(
  q: Queryable,
  tenantId: string,
  addresses: string[],
  at: Date = new Date(),
): Promise<SuppressionRow[]> {
  const wanted = normalize(addresses);
  if (wanted.length === 0) return [];
  return queryRows<SuppressionRow>(
    q,
    `SELECT ${COLUMNS} FROM suppressions WHERE tenant_id = $1 AND address = ANY($2::text[]) AND expires_at > $3 ORDER BY address`,
    [tenantId, wanted, at],
  );
}

/** Suppressions of a tenant, soonest expiry last; expired ones only with `includeExpired`. */
export async function listSuppressions(
  q: Queryable,
  tenantId: string,
  opts: { includeExpired?: boolean; at?: Date; limit?: number } = {},
): Promise<SuppressionRow[]> {
  return queryRows<SuppressionRow>(
    q,
    `SELECT ${COLUMNS} FROM suppressions WHERE tenant_id = $1 AND ($2::boolean OR expires_at > $3)
      ORDER BY created_at DESC, address LIMIT $4`,
    [tenantId, opts.includeExpired ?? false, opts.at ?? new Date(), opts.limit ?? 1000],
  );
}

/** Removes an address from the list (an operator's decision); true when a row was deleted. */
export async function removeSuppression(q: Queryable, tenantId: string, address: string): Promise<boolean> {
  const rows = await queryRows<{ address: string }>(
    q,
    `DELETE FROM suppressions WHERE tenant_id = $1 AND address = $2 RETURNING address`,
    [tenantId, address.trim().toLowerCase()],
  );
  return rows.length > 0;
}
