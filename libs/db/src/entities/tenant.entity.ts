/**
 * A customer organisation. Every other row carries its id as `tenant_id`.
 * This is the one table whose keys cannot lead with `tenant_id`: its id *is*
 * the tenant id, and the slug is globally unique (a Citus reference table).
 */
import { EntitySchema } from 'typeorm';
import { bigintNumber, createdAt, pkUuid, text } from './columns';

export interface Tenant {
  id: string;
  name: string;
  slug: string;
  /** The number the next ticket of this tenant gets; incremented in the ticket's transaction. */
  nextTicketNumber: number;
  createdAt: Date;
}

export const TenantEntity = new EntitySchema<Tenant>({
  name: 'Tenant',
  tableName: 'tenants',
  columns: {
    id: pkUuid('id', 'pk_tenants'),
    name: text('name', false),
    slug: text('slug', false),
    nextTicketNumber: { ...bigintNumber('next_ticket_number', false), default: 1 },
    createdAt: createdAt(),
  },
  uniques: [{ name: 'uq_tenants_slug', columns: ['slug'] }],
});
