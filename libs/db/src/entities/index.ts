/** Every entity schema, registered with the DataSource in this order. */
import { AttachmentEntity } from './attachment.entity';
import { MailboxFolderEntity } from './mailbox-folder.entity';
import { MailboxEntity } from './mailbox.entity';
import { MessageEntity } from './message.entity';
import { SuppressionEntity } from './suppression.entity';
import { TenantEntity } from './tenant.entity';
import { ThreadKeyEntity } from './thread-key.entity';
import { TicketParticipantEntity } from './ticket-participant.entity';
import { TicketEntity } from './ticket.entity';

export const entities = [
  TenantEntity,
  MailboxEntity,
  MailboxFolderEntity,
  TicketEntity,
  TicketParticipantEntity,
  MessageEntity,
  AttachmentEntity,
  ThreadKeyEntity,
  SuppressionEntity,
];

export * from './attachment.entity';
export * from './mailbox-folder.entity';
export * from './mailbox.entity';
export * from './message.entity';
export * from './suppression.entity';
export * from './tenant.entity';
export * from './thread-key.entity';
export * from './ticket-participant.entity';
export * from './ticket.entity';
