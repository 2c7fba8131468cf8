/**
 * Message rows: every email we received (tickets, spam, bounces and
 * auto-replies alike: nothing is discarded) and every email we send. Writes
 * are plain SQL so the ticketer can run them inside its one transaction per
 * mail; the unique keys (tenant, mailbox, Message-ID) and (tenant, mail_id)
 * make a second insert of the same email fail instead of duplicating it.
 */
import type { EntityManager } from 'typeorm';
import type { AddressJson, MessageDirection, SendStatus } from '../entities/message.entity';

export type { AddressJson };

/** A DataSource or a transaction's EntityManager. */
export type Queryable = Pick<EntityManager, 'query'>;

/**
 * Runs a query and returns its rows. TypeORM's postgres driver returns
 * `[rows, rowCount]` for UPDATE and DELETE and plain rows otherwise.
 */
export async function queryRows<T>(q: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await q.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}


export interface MessageRow {
  tenantId: string;
  id: string;
  ticketId: string | null;
  mailboxId: string;
  mailId: string | null;
  direction: MessageDirection;
  messageIdHeader: string;
  inReplyTo: string[];
  references: string[];
  fromAddress: string | null;
  fromName: string | null;
  to: AddressJson[];
  cc: AddressJson[];
  replyTo: AddressJson[];
  subject: string | null;
  textBody: string | null;
  htmlBody: string | null;
  kind: string;
  verdict: unknown;
  matchedBy: string | null;
  matchDetail: string | null;
  sendStatus: SendStatus | null;
  sendAttempts: number;
  sentAt: Date | null;
  sendError: string | null;
  bounceReceivedAt: Date | null;
  automatic: boolean;
  receivedAt: Date | null;
  createdAt: Date;
}

/** The select list that maps snake_case columns onto MessageRow. */
export const MESSAGE_COLUMNS = `tenant_id AS "tenantId", id, ticket_id AS "ticketId", mailbox_id AS "mailboxId",
  mail_id AS "mailId", direction, message_id_header AS "messageIdHeader", in_reply_to AS "inReplyTo",
  "references", from_address AS "fromAddress", from_name AS "fromName", coalesce("to", '[]') AS "to",
  coalesce(cc, '[]') AS cc, coalesce(reply_to, '[]') AS "replyTo", subject, text_body AS "textBody",
  html_body AS "htmlBody", kind, verdict, matched_by AS "matchedBy", match_detail AS "matchDetail",
  send_status AS "sendStatus", send_attempts AS "sendAttempts", sent_at AS "sentAt", send_error AS "sendError",
  bounce_received_at AS "bounceReceivedAt", automatic, received_at AS "receivedAt", created_at AS "createdAt"`;

export type NewMessage = Omit<
  MessageRow,
  'sendAttempts' | 'sentAt' | 'sendError' | 'bounceReceivedAt' | 'createdAt' | 'matchDetail' | 'receivedAt'
> & {
  matchDetail?: string | null;
  receivedAt?: Date | null;
  rawKey?: string | null;
  rawSha256?: string | null;
  rawSize?: number | null;
  /** Where an IMAP message lives on its server (for the mailbox's afterFiled action). */
  source?: { folder: string; uidValidity: number; uid: number } | null;
};

/** The columns a message INSERT names, in the order of messageValues ($1..$30), then created_at. */
export const MESSAGE_INSERT_COLUMNS = `tenant_id, id, ticket_id, mailbox_id, mail_id, direction, message_id_header, in_reply_to,
  "references", from_address, from_name, "to", cc, reply_to, subject, text_body, html_body, kind, verdict,
  matched_by, match_detail, send_status, automatic, received_at, raw_key, raw_sha256, raw_size,
  source_folder, source_uid_validity, source_uid, created_at`;

/** VALUES for MESSAGE_INSERT_COLUMNS: $1..$30 and now(). */
export const MESSAGE_INSERT_VALUES = `$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30, now()`;

/** The parameters $1..$30 of MESSAGE_INSERT_VALUES. */
export function messageValues(m: NewMessage): unknown[] {
  return [
    m.tenantId, m.id, m.ticketId, m.mailboxId, m.mailId, m.direction, m.messageIdHeader, m.inReplyTo,
    m.references, m.fromAddress, m.fromName, JSON.stringify(m.to), JSON.stringify(m.cc),
    JSON.stringify(m.replyTo), m.subject, m.textBody, m.htmlBody, m.kind,
    m.verdict === undefined || m.verdict === null ? null : JSON.stringify(m.verdict),
    m.matchedBy, m.matchDetail ?? null, m.sendStatus, m.automatic, m.receivedAt ?? null,
    m.rawKey ?? null, m.rawSha256 ?? null, m.rawSize ?? null,
    m.source?.folder ?? null, m.source?.uidValidity ?? null, m.source?.uid ?? null,
  ];
}

/**
 * The row a successful INSERT of `m` stored, as getMessage would read it,
 * without sending it back: only created_at comes from the database. JSON
 * columns hold what JSON.stringify wrote (jsonb may reorder object keys).
 */
export function insertedMessageRow(m: NewMessage, createdAt: Date): MessageRow {
  return {
    tenantId: m.tenantId, id: m.id, ticketId: m.ticketId, mailboxId: m.mailboxId, mailId: m.mailId,
    direction: m.direction, messageIdHeader: m.messageIdHeader, inReplyTo: m.inReplyTo, references: m.references,
    fromAddress: m.fromAddress, fromName: m.fromName, to: m.to, cc: m.cc, replyTo: m.replyTo, subject: m.subject,
    textBody: m.textBody, htmlBody: m.htmlBody, kind: m.kind, verdict: m.verdict ?? null, matchedBy: m.matchedBy,
    matchDetail: m.matchDetail ?? null, sendStatus: m.sendStatus, sendAttempts: 0, sentAt: null, sendError: null,
    bounceReceivedAt: null, automatic: m.automatic, receivedAt: m.receivedAt ?? null, createdAt,
  };
}

/** Inserts one message row and returns it. A duplicate raises the unique violation (23505). */
export async function insertMessage(q: Queryable, m: NewMessage): Promise<MessageRow> {
  const rows = await queryRows<MessageRow>(
    q,
    `INSERT INTO messages (${MESSAGE_INSERT_COLUMNS}) VALUES (${MESSAGE_INSERT_VALUES}) RETURNING ${MESSAGE_COLUMNS}`,
    messageValues(m),
  );
  return rows[0];
}

/** One message row of a tenant. */
export async function getMessage(q: Queryable, tenantId: string, id: string): Promise<MessageRow | undefined> {
  const rows = await queryRows<MessageRow>(
    q,
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

/** The messages of a ticket, oldest first. */
export async function listTicketMessages(q: Queryable, tenantId: string, ticketId: string): Promise<MessageRow[]> {
  return queryRows<MessageRow>(
    q,
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY created_at, id`,
    [tenantId, ticketId],
  );
}

/** Our outbound message that carried this Message-ID (a bounce names it). */
export async function findOutboundByHeader(
  q: Queryable,
  tenantId: string,
  messageIdHeader: string,
): Promise<MessageRow | undefined> {
  const rows = await queryRows<MessageRow>(
    q,
    `SELECT ${MESSAGE_COLUMNS} FROM messages
      WHERE tenant_id = $1 AND message_id_header = $2 AND direction = 'outbound' LIMIT 1`,
    [tenantId, messageIdHeader],
  );
  return rows[0];
}

/** Records that a bounce for our outbound message arrived (first one wins). */
export async function markBounceReceived(q: Queryable, tenantId: string, id: string, at: Date): Promise<void> {
  await q.query(
    `UPDATE messages SET bounce_received_at = coalesce(bounce_received_at, $3) WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, at],
  );
}

/** The automatic outbound reply (auto-response) that an inbound message triggered, if any. */
export async function findAutoResponseFor(
  q: Queryable,
  tenantId: string,
  inbound: { ticketId: string; messageIdHeader: string },
): Promise<MessageRow | undefined> {
  const rows = await queryRows<MessageRow>(
    q,
    `SELECT ${MESSAGE_COLUMNS} FROM messages
      WHERE tenant_id = $1 AND ticket_id = $2 AND direction = 'outbound' AND automatic AND $3 = ANY(in_reply_to)
      LIMIT 1`,
    [tenantId, inbound.ticketId, inbound.messageIdHeader],
  );
  return rows[0];
}
