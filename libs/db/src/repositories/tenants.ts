/** Tenants: created by the CLI (or the local runner), looked up by slug. */
import { randomUUID } from 'node:crypto';
import { TenantEntity, type Tenant } from '../entities/tenant.entity';
import { conflict, isUniqueViolation, type Db } from './db-handle';

export interface NewTenant {
  name: string;
  slug: string;
}

/** Inserts a tenant; a DatabaseError DB_CONFLICT when the slug is taken. */
export async function createTenant(ds: Db, input: NewTenant): Promise<Tenant> {
  const repo = ds.getRepository(TenantEntity);
  const id = randomUUID();
  try {
    await repo.insert({ id, name: input.name, slug: input.slug });
  } catch (err) {
    if (isUniqueViolation(err, 'uq_tenants_slug')) throw conflict(`tenant slug "${input.slug}" already exists`, err);
    throw err;
  }
  return repo.findOneByOrFail({ id });
}

export async function findTenantBySlug(ds: Db, slug: string): Promise<Tenant | undefined> {
  return (await ds.getRepository(TenantEntity).findOneBy({ slug })) ?? undefined;
}

export async function getTenant(ds: Db, id: string): Promise<Tenant | undefined> {
  return (await ds.getRepository(TenantEntity).findOneBy({ id })) ?? undefined;
}

export async function listTenants(ds: Db): Promise<Tenant[]> {
  return ds.getRepository(TenantEntity).find({ order: { createdAt: 'ASC', id: 'ASC' } });
}
