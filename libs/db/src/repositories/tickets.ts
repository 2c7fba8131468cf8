/**
 * Tickets, their participants and thread keys. A thread key maps every
 * Message-ID seen or referenced in a conversation to its ticket, so a reply
 * that arrives before the mail it answers still finds (or founds) the same
 * ticket. Advisory locks on those Message-IDs serialise the transactions of
 * one conversation, so two of its mails processed at once never make two
 * tickets.
 */
import { createHash } from 'node:crypto';
import { queryRows, type Queryable } from './messages';

export type TicketStatusName = 'open' | 'pending' | 'solved' | 'closed';

export interface TicketRow {
  tenantId: string;
  id: string;
  number: number;
  mailboxId: string | null;
  subject: string;
  status: TicketStatusName;
  requesterAddress: string | null;
  requesterName: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const TICKET_COLUMNS = `tenant_id AS "tenantId", id, number::float8 AS number, mailbox_id AS "mailboxId", coalesce(subject, '') AS subject,
  status, requester_address AS "requesterAddress", requester_name AS "requesterName",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** A signed 64-bit advisory lock id for one key of a tenant. */
function lockId(tenantId: string, key: string): bigint {
  return createHash('sha256').update(`${tenantId}\n${key}`).digest().readBigInt64BE(0);
}

/**
 * Takes a transaction-scoped advisory lock on each key, in ascending lock-id
 * order so that two transactions sharing keys cannot deadlock, in one round
 * trip (unnest yields the sorted array in order). Must run inside a
 * transaction (pg_advisory_xact_lock releases at commit/rollback).
 *
 * The ids are written into the SQL as literals (digits of a bigint, nothing
 * else) so the statement has no parameters: as a transaction's first
 * statement, inTransaction sends it in the same round trip as its BEGIN.
 */
export async function lockKeys(q: Queryable, tenantId: string, keys: Iterable<string>): Promise<void> {
  await lockTenantKeys(q, [...keys].map((key) => ({ tenantId, key })));
}

/** lockKeys for the keys of several emails, possibly of several tenants (a batch of filings), in one sorted round trip. */
export async function lockTenantKeys(q: Queryable, keys: Iterable<{ tenantId: string; key: string }>): Promise<void> {
  const ids = [...new Set([...keys].map((k) => lockId(k.tenantId, k.key)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (ids.length === 0) return;
  await q.query(
    `SELECT pg_advisory_xact_lock(k.id) FROM unnest('{${ids.join(',')}}'::bigint[]) WITH ORDINALITY AS k(id, n) ORDER BY k.n`,
  );
}

/** The ticket each known key belongs to. */
export async function findThreadTickets(q: Queryable, tenantId: string, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await queryRows<{ key: string; ticketId: string }>(
    q,
    `SELECT message_id_header AS key, ticket_id AS "ticketId" FROM thread_keys
      WHERE tenant_id = $1 AND message_id_header = ANY($2::text[]) AND ticket_id IS NOT NULL`,
    [tenantId, keys],
  );
  return new Map(rows.map((r) => [r.key, r.ticketId]));
}

/** Maps keys to a ticket; a key already mapped keeps its first ticket. */
export async function insertThreadKeys(q: Queryable, tenantId: string, ticketId: string, keys: string[]): Promise<void> {
  const unique = [...new Set(keys.filter((k) => k !== ''))];
  if (unique.length === 0) return;
  await q.query(
    `INSERT INTO thread_keys (tenant_id, message_id_header, ticket_id, created_at)
     SELECT $1, k, $2, now() FROM unnest($3::text[]) AS k
     ON CONFLICT (tenant_id, message_id_header) DO NOTHING`,
    [tenantId, ticketId, unique],
  );
}

export type NewTicket = Omit<TicketRow, 'createdAt' | 'updatedAt' | 'status'> & { status?: TicketStatusName };

export async function getTicket(q: Queryable, tenantId: string, id: string): Promise<TicketRow | undefined> {
  const rows = await queryRows<TicketRow>(
    q,
    `SELECT ${TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

export async function getTicketByNumber(q: Queryable, tenantId: string, number: number): Promise<TicketRow | undefined> {
  const rows = await queryRows<TicketRow>(
    q,
    `SELECT ${TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND number = $2`,
    [tenantId, number],
  );
  return rows[0];
}

/** A tenant's tickets, newest first. */
export async function listTickets(q: Queryable, tenantId: string, opts: { limit?: number } = {}): Promise<TicketRow[]> {
  return queryRows<TicketRow>(
    q,
    `SELECT ${TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 ORDER BY number DESC LIMIT $2`,
    [tenantId, opts.limit ?? 50],
  );
}

/** Sets a ticket's status; returns the previous one (undefined when the ticket is missing). */
export async function setTicketStatus(
  q: Queryable,
  tenantId: string,
  ticketId: string,
  status: TicketStatusName,
): Promise<TicketStatusName | undefined> {
  const rows = await queryRows<{ previous: TicketStatusName }>(
    q,
    `UPDATE tickets t SET status = $3, updated_at = now()
       FROM (SELECT status FROM tickets WHERE tenant_id = $1 AND id = $2 FOR UPDATE) old
      WHERE t.tenant_id = $1 AND t.id = $2 RETURNING old.status AS previous`,
    [tenantId, ticketId, status],
  );
  return rows[0]?.previous;
}

/** The distinct non-empty thread keys, and the distinct people as lower-cased addresses, that a filing records (threadCtes). */
export function threadRows(x: { keys: string[]; people: string[] }): { keys: string[]; people: string[] } {
  return {
    keys: [...new Set(x.keys.filter((k) => k !== ''))],
    people: [...new Set(x.people.map((a) => a.trim().toLowerCase()).filter((a) => a.includes('@')))],
  };
}

/**
 * Inserts thread keys ($3, a key already mapped keeps its first ticket) and
 * participants ($4, except the tenant's own mailbox addresses, which are
 * never participants) of ticket $2 of tenant $1, as CTEs of one statement.
 */
export const threadCtes = (tenant: string, ticket: string, keys: string, people: string): string => `k AS (
       INSERT INTO thread_keys (tenant_id, message_id_header, ticket_id, created_at)
       SELECT ${tenant}::uuid, k, ${ticket}::uuid, now() FROM unnest(${keys}::text[]) AS k
       ON CONFLICT (tenant_id, message_id_header) DO NOTHING
     ), p AS (
       INSERT INTO ticket_participants (tenant_id, ticket_id, address)
       SELECT ${tenant}::uuid, ${ticket}::uuid, a FROM unnest(${people}::text[]) AS a
        WHERE NOT EXISTS (SELECT 1 FROM mailboxes b WHERE b.tenant_id = ${tenant}::uuid AND lower(b.address) = a)
       ON CONFLICT DO NOTHING
     )`;

/** A ticket's participants, lower-cased, in insertion-independent (sorted) order. */
export async function listParticipants(q: Queryable, tenantId: string, ticketId: string): Promise<string[]> {
  const rows = await queryRows<{ address: string }>(
    q,
    `SELECT address FROM ticket_participants WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY address`,
    [tenantId, ticketId],
  );
  return rows.map((r) => r.address);
}

/** The tenant's own mailbox addresses, lower-cased (never participants, never auto-responded to). */
export async function listOwnAddresses(q: Queryable, tenantId: string): Promise<string[]> {
  const rows = await queryRows<{ address: string }>(
    q,
    `SELECT lower(address) AS address FROM mailboxes WHERE tenant_id = $1`,
    [tenantId],
  );
  return rows.map((r) => r.address);
}
