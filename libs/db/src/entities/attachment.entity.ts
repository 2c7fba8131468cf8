/**
 * One MIME part of a message that is an attachment or inline image. The bytes
 * live in the blob store under `blob_key` (content-addressed by sha256);
 * `blocked_reason` is set when policy refused to store them.
 */
import { EntitySchema } from 'typeorm';
import { bigintNumber, createdAt, pkUuid, text, uuid } from './columns';

export interface Attachment {
  tenantId: string;
  id: string;
  messageId: string;
  /** Position among the message's attachments, as the parser listed them. */
  idx: number;
  filename: string | null;
  contentType: string | null;
  size: number | null;
  contentId: string | null;
  inline: boolean;
  blobKey: string | null;
  sha256: string | null;
  blockedReason: string | null;
  createdAt: Date;
}

export const AttachmentEntity = new EntitySchema<Attachment>({
  name: 'Attachment',
  tableName: 'attachments',
  columns: {
    tenantId: pkUuid('tenant_id', 'pk_attachments'),
    id: pkUuid('id', 'pk_attachments'),
    messageId: uuid('message_id'),
    idx: { name: 'idx', type: 'integer', nullable: false },
    filename: text('filename'),
    contentType: text('content_type'),
    size: bigintNumber('size'),
    contentId: text('content_id'),
    inline: { name: 'inline', type: 'boolean', nullable: false, default: false },
    blobKey: text('blob_key'),
    sha256: text('sha256'),
    blockedReason: text('blocked_reason'),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'uq_attachments_tenant_message_idx', columns: ['tenantId', 'messageId', 'idx'] }],
  foreignKeys: [
    {
      name: 'fk_attachments_message',
      target: 'Message',
      columnNames: ['tenantId', 'messageId'],
      referencedColumnNames: ['tenantId', 'id'],
      onDelete: 'CASCADE',
    },
  ],
});
