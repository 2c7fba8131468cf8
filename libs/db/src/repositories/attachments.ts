/**
 * Attachment rows: one per part a message carried, keyed by its position
 * (tenant, message, idx) so a redelivered event writes nothing new and reads
 * back the same ids. Blocked attachments are rows too (with blocked_reason):
 * policy holds bytes back from agents, it never loses them.
 */
import { randomUUID } from 'node:crypto';
import { queryRows, type Queryable } from './messages';

export interface AttachmentRow {
  tenantId: string;
  id: string;
  messageId: string;
  idx: number;
  filename: string;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
  blobKey: string;
  sha256: string;
  blockedReason: string | null;
  createdAt: Date;
}

const ATTACHMENT_COLUMNS = `tenant_id AS "tenantId", id, message_id AS "messageId", idx, filename,
  content_type AS "contentType", size::float8 AS size, content_id AS "contentId", inline, blob_key AS "blobKey",
  sha256, blocked_reason AS "blockedReason", created_at AS "createdAt"`;

export type NewAttachment = Omit<AttachmentRow, 'tenantId' | 'id' | 'messageId' | 'createdAt'>;

/**
 * Inserts the attachments of one message (ON CONFLICT on (tenant, message,
 * idx) DO NOTHING) and returns all of that message's rows, ordered by idx.
 */
export async function upsertAttachments(
  q: Queryable,
  tenantId: string,
  messageId: string,
  attachments: NewAttachment[],
): Promise<AttachmentRow[]> {
  if (attachments.length > 0) {
    await q.query(
      `INSERT INTO attachments (tenant_id, id, message_id, idx, filename, content_type, size, content_id, inline,
         blob_key, sha256, blocked_reason, created_at)
       SELECT $1, a.id, $2, a.idx, a.filename, a.content_type, a.size, a.content_id, a.inline, a.blob_key,
         a.sha256, a.blocked_reason, now()
         FROM jsonb_to_recordset($3::jsonb) AS a(id uuid, idx int, filename text, content_type text, size bigint,
           content_id text, inline bool, blob_key text, sha256 text, blocked_reason text)
       ON CONFLICT (tenant_id, message_id, idx) DO NOTHING`,
      [tenantId, messageId, JSON.stringify(attachments.map((a) => toRecord(a)))],
    );
  }
  return listMessageAttachments(q, tenantId, messageId);
}

const toRecord = (a: NewAttachment) => ({
  id: randomUUID(),
  idx: a.idx,
  filename: a.filename,
  content_type: a.contentType,
  size: a.size,
  content_id: a.contentId,
  inline: a.inline,
  blob_key: a.blobKey,
  sha256: a.sha256,
  blocked_reason: a.blockedReason,
});

export async function listMessageAttachments(q: Queryable, tenantId: string, messageId: string): Promise<AttachmentRow[]> {
  return queryRows<AttachmentRow>(
    q,
    `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE tenant_id = $1 AND message_id = $2 ORDER BY idx`,
    [tenantId, messageId],
  );
}

export async function getAttachment(q: Queryable, tenantId: string, id: string): Promise<AttachmentRow | undefined> {
  const rows = await queryRows<AttachmentRow>(
    q,
    `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return rows[0];
}
