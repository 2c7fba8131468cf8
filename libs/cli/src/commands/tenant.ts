/** Resolves `--tenant <slug>` (default "demo") to a tenant id; every read is scoped by it. */
import { findMailboxByAddress, findTenantBySlug, type Mailbox } from '@postroom/db';
import type { DataSource } from 'typeorm';

export const DEFAULT_TENANT = 'demo';

export async function requireTenantId(ds: DataSource, slug: string | undefined): Promise<string> {
  const wanted = slug ?? DEFAULT_TENANT;
  const tenant = await findTenantBySlug(ds, wanted);
  if (!tenant) throw new Error(`no tenant with slug "${wanted}" (postroom mailbox add --tenant ${wanted} … creates it)`);
  return tenant.id;
}

/** The mailbox `address` of tenant `slug`, or an error that says how to find the right one. */
export async function requireMailbox(ds: DataSource, slug: string | undefined, address: string): Promise<Mailbox> {
  const mailbox = await findMailboxByAddress(ds, await requireTenantId(ds, slug), address);
  if (!mailbox) throw new Error(`no mailbox ${address} in this tenant (postroom mailbox list shows them)`);
  return mailbox;
}
