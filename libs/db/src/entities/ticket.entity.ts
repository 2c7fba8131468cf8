/**
 * A conversation with a customer. `number` is per tenant (taken from
 * `tenants.next_ticket_number` in the creating transaction), so customers see
 * "[#42]" rather than a uuid.
 */
import { EntitySchema } from 'typeorm';
import { bigintNumber, createdAt, pkUuid, text, updatedAt, uuid } from './columns';

export interface Ticket {
  tenantId: string;
  id: string;
  number: number;
  mailboxId: string | null;
  subject: string | null;
  status: string;
  requesterAddress: string | null;
  requesterName: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const TicketEntity = new EntitySchema<Ticket>({
  name: 'Ticket',
  tableName: 'tickets',
  columns: {
    tenantId: pkUuid('tenant_id', 'pk_tickets'),
    id: pkUuid('id', 'pk_tickets'),
    number: bigintNumber('number', false),
    mailboxId: uuid('mailbox_id', true),
    subject: text('subject'),
    status: { ...text('status', false), default: 'open' },
    requesterAddress: text('requester_address'),
    requesterName: text('requester_name'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  uniques: [{ name: 'uq_tickets_tenant_number', columns: ['tenantId', 'number'] }],
  indices: [
    // Ticket lists: newest activity first, optionally by status (scanned backwards).
    { name: 'ix_tickets_tenant_updated', columns: ['tenantId', 'updatedAt'] },
    { name: 'ix_tickets_tenant_status_updated', columns: ['tenantId', 'status', 'updatedAt'] },
    { name: 'ix_tickets_tenant_mailbox', columns: ['tenantId', 'mailboxId'] },
  ],
  foreignKeys: [
    { name: 'fk_tickets_tenant', target: 'Tenant', columnNames: ['tenantId'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
    {
      name: 'fk_tickets_mailbox',
      target: 'Mailbox',
      columnNames: ['tenantId', 'mailboxId'],
      referencedColumnNames: ['tenantId', 'id'],
      onDelete: 'NO ACTION',
    },
  ],
});
