/** Every address that took part in a ticket (requester, Cc'd colleagues), for reply-all and lookups. */
import { EntitySchema } from 'typeorm';
import { pkText, pkUuid } from './columns';

export interface TicketParticipant {
  tenantId: string;
  ticketId: string;
  address: string;
}

export const TicketParticipantEntity = new EntitySchema<TicketParticipant>({
  name: 'TicketParticipant',
  tableName: 'ticket_participants',
  columns: {
    tenantId: pkUuid('tenant_id', 'pk_ticket_participants'),
    ticketId: pkUuid('ticket_id', 'pk_ticket_participants'),
    address: pkText('address', 'pk_ticket_participants'),
  },
  foreignKeys: [
    {
      name: 'fk_ticket_participants_ticket',
      target: 'Ticket',
      columnNames: ['tenantId', 'ticketId'],
      referencedColumnNames: ['tenantId', 'id'],
      onDelete: 'CASCADE',
    },
  ],
});
