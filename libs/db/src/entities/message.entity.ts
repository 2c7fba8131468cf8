/**
 * One email, inbound (parsed from a mailbox) or outbound (an agent's reply).
 * Idempotency keys: `(tenant_id, mail_id)` for ingested mail (the stable mail
 * id of the pointer) and `(tenant_id, mailbox_id, message_id_header)` for the
 * RFC 5322 Message-ID. Spam, bounces and auto-replies are stored with
 * `ticket_id` null, never dropped.
 */
import { EntitySchema } from 'typeorm';
import { bigintNumber, createdAt, jsonb, pkUuid, text, textArray, timestamp, uuid } from './columns';

export type MessageDirection = 'inbound' | 'outbound';
export type SendStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown';

export interface AddressJson {
  address: string;
  name?: string;
}

export interface Message {
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
  to: AddressJson[] | null;
  cc: AddressJson[] | null;
  replyTo: AddressJson[] | null;
  subject: string | null;
  textBody: string | null;
  htmlBody: string | null;
  /** normal | spam | bounce | auto_reply (the classifier's verdict kind). */
  kind: string;
  verdict: Record<string, unknown> | null;
  /** How the ticketer threaded it: message_id, in_reply_to, references, subject, new. */
  matchedBy: string | null;
  /** Why it was threaded that way, for agents (migration 1795431000000). */
  matchDetail: string | null;
  rawKey: string | null;
  rawSha256: string | null;
  rawSize: number | null;
  /** IMAP folder, UIDVALIDITY and UID the message was fetched from (migration 1795433665168); null otherwise. */
  sourceFolder: string | null;
  sourceUidValidity: number | null;
  sourceUid: number | null;
  sendStatus: SendStatus | null;
  sendAttempts: number;
  sentAt: Date | null;
  sendError: string | null;
  bounceReceivedAt: Date | null;
  automatic: boolean;
  receivedAt: Date | null;
  createdAt: Date;
}

export const MessageEntity = new EntitySchema<Message>({
  name: 'Message',
  tableName: 'messages',
  columns: {
    tenantId: pkUuid('tenant_id', 'pk_messages'),
    id: pkUuid('id', 'pk_messages'),
    ticketId: uuid('ticket_id', true),
    mailboxId: uuid('mailbox_id'),
    mailId: text('mail_id'),
    direction: text('direction', false),
    messageIdHeader: text('message_id_header', false),
    inReplyTo: textArray('in_reply_to'),
    references: textArray('references'),
    fromAddress: text('from_address'),
    fromName: text('from_name'),
    to: jsonb('to'),
    cc: jsonb('cc'),
    replyTo: jsonb('reply_to'),
    subject: text('subject'),
    textBody: text('text_body'),
    htmlBody: text('html_body'),
    kind: { ...text('kind', false), default: 'normal' },
    verdict: jsonb('verdict'),
    matchedBy: text('matched_by'),
    matchDetail: text('match_detail'),
    rawKey: text('raw_key'),
    rawSha256: text('raw_sha256'),
    rawSize: bigintNumber('raw_size'),
    sourceFolder: text('source_folder'),
    sourceUidValidity: bigintNumber('source_uid_validity'),
    sourceUid: bigintNumber('source_uid'),
    sendStatus: text('send_status'),
    sendAttempts: { name: 'send_attempts', type: 'integer', nullable: false, default: 0 },
    sentAt: timestamp('sent_at'),
    sendError: text('send_error'),
    bounceReceivedAt: timestamp('bounce_received_at'),
    automatic: { name: 'automatic', type: 'boolean', nullable: false, default: false },
    receivedAt: timestamp('received_at'),
    createdAt: createdAt(),
  },
  uniques: [
    { name: 'uq_messages_tenant_mailbox_message_id', columns: ['tenantId', 'mailboxId', 'messageIdHeader'] },
    { name: 'uq_messages_tenant_mail_id', columns: ['tenantId', 'mailId'] },
  ],
  checks: [
    { name: 'ck_messages_direction', expression: `direction IN ('inbound', 'outbound')` },
    {
      name: 'ck_messages_send_status',
      expression: `send_status IS NULL OR send_status IN ('pending', 'sending', 'sent', 'failed', 'unknown')`,
    },
  ],
  indices: [
    // A ticket's messages in order; also serves the FK to tickets.
    { name: 'ix_messages_tenant_ticket_created', columns: ['tenantId', 'ticketId', 'createdAt'] },
    // Lookup by Message-ID across a tenant's mailboxes (bounce linking, threading fallbacks).
    { name: 'ix_messages_tenant_message_id', columns: ['tenantId', 'messageIdHeader'] },
  ],
  foreignKeys: [
    { name: 'fk_messages_tenant', target: 'Tenant', columnNames: ['tenantId'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
    {
      name: 'fk_messages_mailbox',
      target: 'Mailbox',
      columnNames: ['tenantId', 'mailboxId'],
      referencedColumnNames: ['tenantId', 'id'],
      onDelete: 'NO ACTION',
    },
    {
      name: 'fk_messages_ticket',
      target: 'Ticket',
      columnNames: ['tenantId', 'ticketId'],
      referencedColumnNames: ['tenantId', 'id'],
      onDelete: 'NO ACTION',
    },
  ],
});
