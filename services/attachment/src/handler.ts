/**
 * work.v1.record_attachments (the ticketer's hand-off of a filed message
 * that has attachments, with the message_added payload) → attachment rows →
 * attachment.v1.recorded. Rows are keyed by the attachment's position in its
 * message, so a redelivered event writes nothing and republishes the same
 * rows.
 */
import type { Emit } from '@postroom/bus';
import {
  AttachmentsRecordedSchema,
  Direction,
  create,
  type AttachmentDescriptor,
  type TicketMessageAdded,
} from '@postroom/contracts';
import { upsertAttachments, type AttachmentRow, type NewAttachment } from '@postroom/db';
import { TerminalError } from '@postroom/errors';
import { blockedReason } from './attachment-policy';
import type { AttachmentDeps } from './ports';

/** The parser's stable index when it is unique, else the position in the list (never collapse two parts into one row). */
function toRows(descriptors: AttachmentDescriptor[]): NewAttachment[] {
  const unique = new Set(descriptors.map((d) => d.index)).size === descriptors.length;
  return descriptors.map((d, i) => ({
    idx: unique ? d.index : i,
    filename: d.filename,
    contentType: d.contentType || 'application/octet-stream',
    size: Number(d.size),
    contentId: d.contentId || null,
    inline: d.inline,
    blobKey: d.blob?.key ?? '',
    sha256: d.blob?.sha256 ?? '',
    blockedReason: blockedReason({ filename: d.filename, contentType: d.contentType }),
  }));
}

const stored = (r: AttachmentRow) => ({
  attachmentId: r.id,
  filename: r.filename,
  contentType: r.contentType,
  size: BigInt(r.size),
  contentId: r.contentId ?? '',
  inline: r.inline,
  blob: { key: r.blobKey, size: BigInt(r.size), sha256: r.sha256 },
  blockedReason: r.blockedReason ?? '',
});

export const createHandler = (deps: AttachmentDeps) => async (e: TicketMessageAdded): Promise<Emit[]> => {
  if (e.direction !== Direction.INBOUND || e.attachments.length === 0) return [];
  const tenantId = e.ticket?.tenantId;
  if (!tenantId || !e.messageId) throw new TerminalError('INVALID_EVENT', 'filed message without tenant or message id');
  const rows = await upsertAttachments(deps.db, tenantId, e.messageId, toRows(e.attachments));
  const event = create(AttachmentsRecordedSchema, {
    tenantId,
    messageId: e.messageId,
    ticketId: e.ticket?.ticketId ?? '',
    attachments: rows.map(stored),
  });
  return [{ subject: deps.subjects.attachmentRecorded, schema: AttachmentsRecordedSchema, event, msgId: `attachments:${e.messageId}` }];
};
