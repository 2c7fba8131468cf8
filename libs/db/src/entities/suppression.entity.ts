/**
 * A recipient the sender must skip until `expires_at`: a permanent bounce of
 * a message we sent named it (see the suppressions migration). Addresses are
 * stored lower-cased; `bounced_message_id` is our outbound message row that
 * bounced, kept for the operator (no foreign key: the audit trail outlives
 * the message).
 */
import { EntitySchema } from 'typeorm';
import { createdAt, pkText, pkUuid, text, timestamp, uuid } from './columns';

export interface Suppression {
  tenantId: string;
  address: string;
  reason: string;
  statusCode: string | null;
  bouncedMessageId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export const SuppressionEntity = new EntitySchema<Suppression>({
  name: 'Suppression',
  tableName: 'suppressions',
  columns: {
    tenantId: pkUuid('tenant_id', 'pk_suppressions'),
    address: pkText('address', 'pk_suppressions'),
    reason: text('reason', false),
    statusCode: text('status_code'),
    bouncedMessageId: uuid('bounced_message_id', true),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', false),
  },
  indices: [{ name: 'ix_suppressions_tenant_expires', columns: ['tenantId', 'expiresAt'] }],
  foreignKeys: [
    { name: 'fk_suppressions_tenant', target: 'Tenant', columnNames: ['tenantId'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
  ],
});
