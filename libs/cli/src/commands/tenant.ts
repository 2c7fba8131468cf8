/** Resolves `--tenant <slug>` (default "demo") to a tenant id; every read is scoped by it. */
import { findTenantBySlug } from '@postroom/db';
import type { DataSource } from 'typeorm';

export const DEFAULT_TENANT = 'demo';

export async function requireTenantId(ds: DataSource, slug: string | undefined): Promise<string> {
  const wanted = slug ?? DEFAULT_TENANT;
  const tenant = await findTenantBySlug(ds, wanted);
  if (!tenant) throw new Error(`no tenant with slug "${wanted}" (postroom mailbox add --tenant ${wanted} … creates it)`);
  return tenant.id;
}
