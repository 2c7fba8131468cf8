/**
 * Every Message-ID seen or referenced (RFC 5322 §3.6.4 In-Reply-To and
 * References) → the ticket it belongs to, so a reply threads onto its ticket
 * whichever order the messages of a conversation arrive in.
 */
import { EntitySchema } from 'typeorm';
import { createdAt, pkText, pkUuid, uuid } from './columns';

export interface ThreadKey {
  tenantId: string;
  messageIdHeader: string;
  ticketId: string;
  createdAt: Date;
}

export const ThreadKeyEntity = new EntitySchema<ThreadKey>({
  name: 'ThreadKey',
  tableName: 'thread_keys',
  columns: {
    tenantId: pkUuid('tenant_id', 'pk_thread_keys'),
    messageIdHeader: pkText('message_id_header', 'pk_thread_keys'),
    ticketId: uuid('ticket_id'),
    createdAt: createdAt(),
  },
  indices: [{ name: 'ix_thread_keys_tenant_ticket', columns: ['tenantId', 'ticketId'] }],
  foreignKeys: [
    {
      name: 'fk_thread_keys_ticket',
      target: 'Ticket',
      columnNames: ['tenantId', 'ticketId'],
      referencedColumnNames: ['tenantId', 'id'],
      onDelete: 'CASCADE',
    },
  ],
});
