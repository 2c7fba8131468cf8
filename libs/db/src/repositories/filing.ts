/**
 * The statements of the ticketer's filing transaction that span tables, each
 * one round trip: after the thread-key locks, the duplicate check together
 * with the thread-key lookup; then the message row together with its thread
 * keys and participants (and, for a new conversation, its ticket). Every
 * round trip costs the ticketer and PostgreSQL a wake-up and a socket write
 * on each side, which on a busy host cost more than the SQL.
 */
import { getMessage, insertedMessageRow, MESSAGE_INSERT_COLUMNS, MESSAGE_INSERT_VALUES, messageValues, queryRows, type MessageRow, type NewMessage, type Queryable } from './messages';
import { threadCtes, threadRows, type NewTicket, type TicketRow } from './tickets';
import { planEachExecution } from './transaction';

export interface DuplicateKey {
  tenantId: string;
  /** Null: the tenant-wide dedupe scope. */
  mailboxId: string | null;
  messageIdHeader: string;
  mailId: string;
}

export interface FilingLookup {
  /** The row this email duplicates: the same pipeline mail id, or the same Message-ID in the dedupe scope. */
  duplicate?: MessageRow;
  /** The ticket each known thread key belongs to (findThreadTickets' answer). */
  threads: Map<string, string>;
}

// One statement, so one snapshot: it runs after the locks, so it sees every
// filing of these keys that committed before this one got them.
const LOOKUP = planEachExecution(`SELECT d.id AS "duplicateId", k.keys, k.tickets
  FROM (SELECT array_agg(message_id_header) AS keys, array_agg(ticket_id::text) AS tickets FROM thread_keys
         WHERE tenant_id = $1 AND message_id_header = ANY($5::text[]) AND ticket_id IS NOT NULL) k
  LEFT JOIN LATERAL (SELECT id FROM messages
         WHERE tenant_id = $1 AND (mail_id = $2 OR (message_id_header = $3 AND ($4::uuid IS NULL OR mailbox_id = $4)))
         ORDER BY created_at LIMIT 1) d ON true`);

/**
 * The duplicate check (same pipeline mail id, or the same Message-ID in the
 * mailbox or tenant) and the thread-key lookup in one round trip. Only the
 * duplicate's id comes back; its row is read when there is one (a
 * redelivery), so a first filing does not pay for decoding a whole row.
 */
export async function lookUpFiling(q: Queryable, key: DuplicateKey, threadKeys: string[]): Promise<FilingLookup> {
  const [row] = await queryRows<{ duplicateId: string | null; keys: string[] | null; tickets: string[] | null }>(
    q,
    LOOKUP,
    [key.tenantId, key.mailId, key.messageIdHeader, key.mailboxId, threadKeys],
  );
  const keys = row?.keys ?? [];
  const threads = new Map(keys.map((k, i) => [k, row.tickets![i]]));
  const duplicate = row?.duplicateId ? await getMessage(q, key.tenantId, row.duplicateId) : undefined;
  return { duplicate, threads };
}

// The same checks for several emails after their batch's locks: one row per email, in order. Planned at
// every execution (planEachExecution): it then sees the tables' current size, also before the first ANALYZE.
const LOOKUP_MANY = planEachExecution(`SELECT d.id AS "duplicateId", t.keys, t.tickets
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[]) WITH ORDINALITY AS a(tenant_id, mail_id, message_id_header, mailbox_id, i)
  LEFT JOIN LATERAL (SELECT array_agg(tk.message_id_header) AS keys, array_agg(tk.ticket_id::text) AS tickets
         FROM unnest($5::text[]) WITH ORDINALITY AS k(key, n)
         JOIN thread_keys tk ON tk.tenant_id = a.tenant_id AND tk.message_id_header = k.key
        WHERE k.n > ($6::int[])[a.i] AND k.n <= ($6::int[])[a.i + 1] AND tk.ticket_id IS NOT NULL) t ON true
  LEFT JOIN LATERAL (SELECT id FROM messages m
        WHERE m.tenant_id = a.tenant_id AND (m.mail_id = a.mail_id OR (m.message_id_header = a.message_id_header
          AND (a.mailbox_id IS NULL OR m.mailbox_id = a.mailbox_id)))
        ORDER BY m.created_at LIMIT 1) d ON true
 ORDER BY a.i`);

/**
 * lookUpFiling for several emails in one round trip, answered in the order
 * asked. Each answer holds as long as no email before it in the same
 * transaction wrote a row it looks for (the caller checks that).
 */
export async function lookUpFilings(q: Queryable, asks: Array<{ key: DuplicateKey; threadKeys: string[] }>): Promise<FilingLookup[]> {
  // The keys of all emails in one array; email i's are the elements after bounds[i] up to bounds[i + 1] (1-based).
  const bounds = [0];
  for (const a of asks) bounds.push(bounds[bounds.length - 1] + a.threadKeys.length);
  const rows = await queryRows<{ duplicateId: string | null; keys: string[] | null; tickets: string[] | null }>(q, LOOKUP_MANY, [
    asks.map((a) => a.key.tenantId), asks.map((a) => a.key.mailId), asks.map((a) => a.key.messageIdHeader),
    asks.map((a) => a.key.mailboxId), asks.flatMap((a) => a.threadKeys), bounds,
  ]);
  const out: FilingLookup[] = [];
  for (const [i, row] of rows.entries()) {
    const threads = new Map((row.keys ?? []).map((k, j) => [k, row.tickets![j]]));
    // A duplicate (a redelivery) is rare: its row is read only then.
    out.push({ threads, duplicate: row.duplicateId ? await getMessage(q, asks[i].key.tenantId, row.duplicateId) : undefined });
  }
  return out;
}

export interface Thread {
  /** Message-IDs that now map to the ticket (a key already mapped keeps its first ticket). */
  keys: string[];
  /** Addresses the email names (participants, lower-cased; the tenant's own addresses are left out). */
  people: string[];
}

const ON_TICKET = `WITH m AS (
       INSERT INTO messages (${MESSAGE_INSERT_COLUMNS}) VALUES (${MESSAGE_INSERT_VALUES}) RETURNING created_at
     ), ${threadCtes('$1', '$3', '$31', '$32')}
     SELECT created_at AS "createdAt" FROM m`;

/**
 * Inserts a message on its (existing) ticket `m.ticketId` and records its
 * thread keys and participants (threadRows), in one statement. A
 * duplicate raises the unique violation (23505) and writes nothing.
 */
export async function insertMessageOnTicket(q: Queryable, m: NewMessage & { ticketId: string }, thread: Thread): Promise<MessageRow> {
  const { keys, people } = threadRows(thread);
  const [row] = await queryRows<{ createdAt: Date }>(q, ON_TICKET, [...messageValues(m), keys, people]);
  return insertedMessageRow(m, row.createdAt);
}

// The ticket number comes from the tenant row (its lock serialises number
// allocation, held to COMMIT); the message's foreign
// key on the ticket is checked at the end of the statement, when the ticket
// row of the CTE exists.
const ON_NEW_TICKET = `WITH n AS (
       UPDATE tenants SET next_ticket_number = next_ticket_number + 1 WHERE id = $1 RETURNING next_ticket_number - 1 AS number
     ), t AS (
       INSERT INTO tickets (tenant_id, id, number, mailbox_id, subject, status, requester_address, requester_name,
         created_at, updated_at)
       SELECT $1::uuid, $3::uuid, n.number, $4::uuid, $33, 'open', $34, $35, now(), now() FROM n
       RETURNING number::float8 AS number, created_at, updated_at
     ), m AS (
       INSERT INTO messages (${MESSAGE_INSERT_COLUMNS}) VALUES (${MESSAGE_INSERT_VALUES}) RETURNING created_at
     ), ${threadCtes('$1', '$3', '$31', '$32')}
     SELECT m.created_at AS "createdAt", t.number, t.created_at AS "ticketCreatedAt", t.updated_at AS "ticketUpdatedAt"
       FROM m, t`;

export type NewTicketOf = Pick<NewTicket, 'subject' | 'requesterAddress' | 'requesterName'>;

/**
 * Opens ticket `m.ticketId` (status open, the tenant's next number, in
 * `m.mailboxId`) with message `m` on it, and records its thread keys and
 * participants, in one statement.
 */
export async function insertMessageOnNewTicket(
  q: Queryable,
  m: NewMessage & { ticketId: string },
  ticket: NewTicketOf,
  thread: Thread,
): Promise<{ message: MessageRow; ticket: TicketRow }> {
  const { keys, people } = threadRows(thread);
  const rows = await queryRows<{ createdAt: Date; number: number; ticketCreatedAt: Date; ticketUpdatedAt: Date }>(
    q,
    ON_NEW_TICKET,
    [...messageValues(m), keys, people, ticket.subject, ticket.requesterAddress, ticket.requesterName],
  );
  if (rows.length === 0) throw new Error(`tenant ${m.tenantId} does not exist`);
  const [row] = rows;
  return {
    message: insertedMessageRow(m, row.createdAt),
    ticket: {
      tenantId: m.tenantId, id: m.ticketId, number: row.number, mailboxId: m.mailboxId, subject: ticket.subject,
      status: 'open', requesterAddress: ticket.requesterAddress, requesterName: ticket.requesterName,
      createdAt: row.ticketCreatedAt, updatedAt: row.ticketUpdatedAt,
    },
  };
}
