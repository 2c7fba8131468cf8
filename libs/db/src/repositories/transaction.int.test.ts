import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../../test/fresh-database';
import type { Tenant } from '../entities/tenant.entity';
import { isUniqueViolation } from './db-handle';
import { queryRows } from './messages';
import { createTenant, getTenant } from './tenants';
import { inTransaction } from './transaction';

let db: FreshDatabase;
let acme: Tenant;

beforeAll(async () => {
  db = await freshDatabase();
  acme = await createTenant(db.ds, { name: 'Acme', slug: 'acme' });
});
afterAll(() => db?.cleanup());

const RENAME = `UPDATE tenants SET name = $2 WHERE id = $1 RETURNING name`;

describe('inTransaction', () => {
  it('commits when the callback resolves, answering UPDATE like EntityManager.query ([rows, rowCount])', async () => {
    const result = await inTransaction(db.ds, (q) => q.query(RENAME, [acme.id, 'Acme Ltd']));
    expect(result).toEqual([[{ name: 'Acme Ltd' }], 1]);
    expect((await getTenant(db.ds, acme.id))?.name).toBe('Acme Ltd');
  });

  it('rolls everything back when the callback throws, and the connection is usable again', async () => {
    await expect(
      inTransaction(db.ds, async (q) => {
        await q.query(RENAME, [acme.id, 'Gone']);
        throw new Error('filing failed');
      }),
    ).rejects.toThrow('filing failed');
    expect((await getTenant(db.ds, acme.id))?.name).toBe('Acme Ltd');
    const rows = await inTransaction(db.ds, (q) => queryRows<{ n: number }>(q, 'SELECT count(*)::int AS n FROM tenants'));
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('throws the driver error a unique key raises, which isUniqueViolation recognises', async () => {
    const err = await inTransaction(db.ds, (q) =>
      q.query(`INSERT INTO tenants (id, name, slug) VALUES (gen_random_uuid(), 'Other', 'acme')`),
    ).catch((e: unknown) => e);
    expect(isUniqueViolation(err, 'uq_tenants_slug')).toBe(true);
  });
});
